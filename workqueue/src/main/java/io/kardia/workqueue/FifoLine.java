package io.kardia.workqueue;

/** First in, first out; priorities are ignored. An intrusive singly-linked list: no allocation. */
final class FifoLine<T> implements WaitingLine<T> {
  private QueueNode<T> head;
  private QueueNode<T> tail;
  private int size;

  @Override
  public void push(QueueNode<T> node) {
    node.next = null;
    if (tail == null) {
      head = node;
    } else {
      tail.next = node;
    }
    tail = node;
    size++;
  }

  @Override
  public QueueNode<T> pop() {
    QueueNode<T> node = head;
    head = node.next;
    if (head == null) {
      tail = null;
    }
    node.next = null;
    size--;
    return node;
  }

  @Override
  public void raise(QueueNode<T> node, int priority) {
    // FIFO ignores priorities.
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean ordersByPriority() {
    return false;
  }
}
