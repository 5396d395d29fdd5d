package io.kardia.workqueue;

/** The order in which a {@link QueueCore} hands out waiting items. Used only under its lock. */
interface WaitingLine<T> {

  void push(QueueNode<T> node);

  /** Removes and returns the next node; only called when not empty. */
  QueueNode<T> pop();

  /** Raises the priority of a node that is in the line. */
  void raise(QueueNode<T> node, int priority);

  int size();

  /** True if the last {@link #pop} handed out a node ahead of higher priorities because it had waited too long. */
  default boolean lastPopAged() {
    return false;
  }

  /** Whether {@link #raise} can reorder: false for a plain FIFO line, which ignores priorities. */
  boolean ordersByPriority();
}
