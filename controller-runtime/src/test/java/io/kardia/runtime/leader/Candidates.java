package io.kardia.runtime.leader;

import io.kardia.core.client.KubeClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Several candidates in one JVM, each with its own client, recording who acts when. "Acting"
 * starts in onStartedLeading and ends in onStoppedLeading; a second candidate starting to act
 * while another still acts is recorded as a violation.
 */
final class Candidates implements AutoCloseable {
    final List<Candidate> all = new ArrayList<>();
    final AtomicInteger acting = new AtomicInteger();
    final List<String> violations = new CopyOnWriteArrayList<>();
    final List<String> timeline = new CopyOnWriteArrayList<>();

    final class Candidate implements LeaderCallbacks {
        final String id;
        final PausableClient client;
        final LeaderElector elector;
        volatile boolean isActing;
        volatile long startedActingNanos;

        Candidate(String id, KubeClient real, LeaderElectionConfig config) {
            this.id = id;
            this.client = new PausableClient(real);
            this.elector = new LeaderElector(client, config.withIdentity(id), this);
        }

        @Override
        public void onStartedLeading() {
            int now = acting.incrementAndGet();
            if (now > 1) {
                violations.add(id + " started acting while " + (now - 1) + " other(s) acted");
            }
            startedActingNanos = System.nanoTime();
            isActing = true;
            timeline.add("start " + id);
        }

        @Override
        public void onStoppedLeading() {
            isActing = false;
            acting.decrementAndGet();
            timeline.add("stop " + id);
        }
    }

    Candidates(KubeClient real, LeaderElectionConfig config, int n) {
        for (int i = 0; i < n; i++) {
            all.add(new Candidate("candidate-" + i, real, config));
        }
    }

    void startAll() {
        all.forEach(c -> c.elector.start());
    }

    Optional<Candidate> actingLeader() {
        return all.stream().filter(c -> c.isActing).findFirst();
    }

    long actingCount() {
        return all.stream().filter(c -> c.isActing).count();
    }

    @Override
    public void close() {
        all.forEach(c -> {
            c.client.resume();
            c.elector.close();
        });
    }
}
