package io.kardia.workqueue;

import java.util.Arrays;

/**
 * Highest priority first, then lowest sequence (first added) first. A binary heap whose nodes know
 * their slot, so that raising a priority is a sift-up rather than a search.
 */
final class PriorityLine<T> implements WaitingLine<T> {
  private QueueNode<T>[] heap;
  private int size;

  @SuppressWarnings("unchecked")
  PriorityLine() {
    heap = (QueueNode<T>[]) new QueueNode<?>[64];
  }

  @Override
  public void push(QueueNode<T> node) {
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    siftUp(size++, node);
  }

  @Override
  public QueueNode<T> pop() {
    QueueNode<T> top = heap[0];
    QueueNode<T> last = heap[--size];
    heap[size] = null;
    if (size > 0) {
      siftDown(0, last);
    }
    top.heapIndex = -1;
    return top;
  }

  @Override
  public void raise(QueueNode<T> node, int priority) {
    if (priority > node.priority) {
      node.priority = priority;
      siftUp(node.heapIndex, node);
    }
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean ordersByPriority() {
    return true;
  }

  private static boolean before(QueueNode<?> a, QueueNode<?> b) {
    return a.priority != b.priority ? a.priority > b.priority : a.sequence < b.sequence;
  }

  private void siftUp(int index, QueueNode<T> node) {
    while (index > 0) {
      int parent = (index - 1) >>> 1;
      QueueNode<T> p = heap[parent];
      if (!before(node, p)) {
        break;
      }
      place(index, p);
      index = parent;
    }
    place(index, node);
  }

  private void siftDown(int index, QueueNode<T> node) {
    int half = size >>> 1;
    while (index < half) {
      int child = 2 * index + 1;
      int right = child + 1;
      if (right < size && before(heap[right], heap[child])) {
        child = right;
      }
      if (!before(heap[child], node)) {
        break;
      }
      place(index, heap[child]);
      index = child;
    }
    place(index, node);
  }

  private void place(int index, QueueNode<T> node) {
    heap[index] = node;
    node.heapIndex = index;
  }
}
