package io.kardia.benchmarks.workqueue;

/** Object keys shaped like a controller's namespace/name requests, made once per trial. */
final class Keys {
  private Keys() {}

  static String[] of(int count) {
    String[] keys = new String[count];
    for (int i = 0; i < count; i++) {
      keys[i] = "namespace-" + (i % 50) + "/object-" + i;
    }
    return keys;
  }
}
