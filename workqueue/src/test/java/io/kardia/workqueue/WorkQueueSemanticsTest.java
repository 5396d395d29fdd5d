package io.kardia.workqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** client-go's workqueue semantics, checked on every kind of queue the builder makes. */
class WorkQueueSemanticsTest {
  private static final Duration SHORT = Duration.ofMillis(50);
  private static final Duration LONG = Duration.ofSeconds(10);

  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<WorkQueue<String>> queues = new ArrayList<>();

  static Stream<Arguments> kinds() {
    return Stream.of(
        kind("fifo", () -> WorkQueues.builder("fifo").build()),
        kind("delaying", () -> WorkQueues.builder("delaying").buildDelaying()),
        kind("rate-limiting", () -> WorkQueues.builder("rate-limiting").buildRateLimiting()),
        kind("priority", () -> WorkQueues.builder("priority").buildPriority()));
  }

  private static Arguments kind(String name, Supplier<WorkQueue<String>> factory) {
    return Arguments.of(Named.of(name, factory));
  }

  private WorkQueue<String> make(Supplier<WorkQueue<String>> factory) {
    WorkQueue<String> queue = factory.get();
    queues.add(queue);
    return queue;
  }

  @AfterEach
  void tearDown() {
    queues.forEach(WorkQueue::shutDown);
    threads.shutdownNow();
  }

  private static String take(WorkQueue<String> queue) throws InterruptedException {
    Optional<String> item = queue.poll(LONG);
    assertThat(item).as("an item within %s", LONG).isPresent();
    return item.orElseThrow();
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void storesAnItemAddedWhileWaitingOnce(Supplier<WorkQueue<String>> factory) throws Exception {
    WorkQueue<String> queue = make(factory);
    queue.add("a");
    queue.add("b");
    queue.add("a");
    queue.add("a");

    assertThat(queue.len()).isEqualTo(2);
    assertThat(take(queue)).isEqualTo("a");
    assertThat(take(queue)).isEqualTo("b");
    assertThat(queue.len()).isZero();
    assertThat(queue.poll(Duration.ZERO)).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void handsOutWaitingItemsFirstInFirstOut(Supplier<WorkQueue<String>> factory) throws Exception {
    WorkQueue<String> queue = make(factory);
    List<String> added = List.of("c", "a", "d", "b", "e");
    added.forEach(queue::add);

    List<String> taken = new ArrayList<>();
    for (int i = 0; i < added.size(); i++) {
      taken.add(take(queue));
    }
    assertThat(taken).containsExactlyElementsOf(added);
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void requeuesAnItemAddedWhileProcessingOnlyAfterDone(Supplier<WorkQueue<String>> factory)
      throws Exception {
    WorkQueue<String> queue = make(factory);
    queue.add("a");
    assertThat(take(queue)).isEqualTo("a");

    queue.add("a");
    queue.add("a");
    assertThat(queue.len()).as("a dirty item does not wait while it is processed").isZero();
    assertThat(queue.poll(SHORT)).as("no second worker gets it meanwhile").isEmpty();

    queue.add("b");
    queue.done("a");
    assertThat(queue.len()).isEqualTo(2);
    assertThat(take(queue)).as("the dirty item goes behind those already waiting").isEqualTo("b");
    assertThat(take(queue)).isEqualTo("a");
    queue.done("a");
    queue.done("b");
    assertThat(queue.len()).isZero();
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void forgetsAnItemDoneWithoutReAdd(Supplier<WorkQueue<String>> factory) throws Exception {
    WorkQueue<String> queue = make(factory);
    queue.add("a");
    take(queue);
    queue.done("a");

    assertThat(queue.poll(Duration.ZERO)).isEmpty();
    queue.add("a");
    assertThat(take(queue)).isEqualTo("a");
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void rejectsDoneForAnItemNotBeingProcessed(Supplier<WorkQueue<String>> factory)
      throws Exception {
    WorkQueue<String> queue = make(factory);
    assertThatThrownBy(() -> queue.done("never-added"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("never-added")
        .hasMessageContaining("not being processed");

    queue.add("waiting");
    assertThatThrownBy(() -> queue.done("waiting")).isInstanceOf(IllegalStateException.class);

    queue.add("a");
    while (!take(queue).equals("a")) {
      // skip "waiting"
    }
    queue.done("a");
    assertThatThrownBy(() -> queue.done("a"))
        .as("done twice")
        .isInstanceOf(IllegalStateException.class);
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void rejectsNullItems(Supplier<WorkQueue<String>> factory) {
    WorkQueue<String> queue = make(factory);
    assertThatThrownBy(() -> queue.add(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("item");
    assertThatThrownBy(() -> queue.done(null)).isInstanceOf(NullPointerException.class);
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void blockedGetReceivesAnItemAddedLater(Supplier<WorkQueue<String>> factory) throws Exception {
    WorkQueue<String> queue = make(factory);
    Future<Optional<String>> getter = threads.submit(queue::get);
    await().atMost(LONG).until(() -> waitingGetters(queue) == 1);

    queue.add("late");
    assertThat(getter.get(10, TimeUnit.SECONDS)).contains("late");
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void pollTimesOutWhenNothingArrives(Supplier<WorkQueue<String>> factory) throws Exception {
    WorkQueue<String> queue = make(factory);
    assertThat(queue.poll(SHORT)).isEmpty();
    assertThat(queue.poll(Duration.ofMillis(-1))).isEmpty();
    assertThat(queue.isShuttingDown()).isFalse();
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void afterShutDownIgnoresAddsButHandsOutWhatIsWaiting(Supplier<WorkQueue<String>> factory)
      throws Exception {
    WorkQueue<String> queue = make(factory);
    queue.add("a");
    queue.add("b");
    queue.shutDown();
    queue.add("c");

    assertThat(queue.isShuttingDown()).isTrue();
    assertThat(queue.len()).isEqualTo(2);
    assertThat(queue.get()).contains("a");
    assertThat(queue.get()).contains("b");
    assertThat(queue.get()).as("shut down and empty").isEmpty();
    assertThat(queue.get()).as("and stays so").isEmpty();
    assertThat(queue.poll(LONG)).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void shutDownWakesBlockedGetters(Supplier<WorkQueue<String>> factory) throws Exception {
    WorkQueue<String> queue = make(factory);
    Future<Optional<String>> first = threads.submit(queue::get);
    Future<Optional<String>> second = threads.submit(() -> queue.poll(Duration.ofHours(1)));
    await().atMost(LONG).until(() -> waitingGetters(queue) == 2);

    queue.shutDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).isEmpty();
    assertThat(second.get(10, TimeUnit.SECONDS)).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void queuesADirtyItemOnDoneEvenAfterShutDown(Supplier<WorkQueue<String>> factory)
      throws Exception {
    // As client-go: the add happened before shut-down, so the item is still owed a run.
    WorkQueue<String> queue = make(factory);
    queue.add("a");
    take(queue);
    queue.add("a");
    queue.shutDown();

    queue.done("a");
    assertThat(queue.get()).contains("a");
    queue.done("a");
    assertThat(queue.get()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void shutDownWithDrainWaitsForItemsInFlight(Supplier<WorkQueue<String>> factory)
      throws Exception {
    WorkQueue<String> queue = make(factory);
    queue.add("a");
    queue.add("b");
    take(queue);
    take(queue);

    CompletableFuture<Void> drain = CompletableFuture.runAsync(() -> drain(queue), threads);
    await().atMost(LONG).until(queue::isShuttingDown);
    queue.done("a");
    await().during(SHORT).atMost(LONG).until(() -> !drain.isDone());

    queue.done("b");
    drain.get(10, TimeUnit.SECONDS);
    assertThat(queue.get()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void shutDownWithDrainReturnsAtOnceWhenNothingIsInFlight(Supplier<WorkQueue<String>> factory)
      throws Exception {
    WorkQueue<String> queue = make(factory);
    queue.add("waiting");
    assertThat(queue.shutDownWithDrain(LONG)).isTrue();
    assertThat(queue.get()).contains("waiting");
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void shutDownWithDrainGivesUpAfterItsTimeout(Supplier<WorkQueue<String>> factory)
      throws Exception {
    WorkQueue<String> queue = make(factory);
    queue.add("stuck");
    take(queue);
    assertThat(queue.shutDownWithDrain(SHORT)).isFalse();
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void shutDownCutsADrainShort(Supplier<WorkQueue<String>> factory) throws Exception {
    WorkQueue<String> queue = make(factory);
    queue.add("stuck");
    take(queue);
    Future<Boolean> drain = threads.submit(() -> queue.shutDownWithDrain(Duration.ofHours(1)));
    await().atMost(LONG).until(queue::isShuttingDown);

    queue.shutDown();
    assertThat(drain.get(10, TimeUnit.SECONDS)).isFalse();
  }

  private static void drain(WorkQueue<String> queue) {
    try {
      queue.shutDownWithDrain();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int waitingGetters(WorkQueue<String> queue) {
    QueueCore<?> core = queue instanceof DelayingWorkQueue<?> delaying
        ? delaying.core
        : (QueueCore<?>) queue;
    return core.idleWorkers();
  }
}
