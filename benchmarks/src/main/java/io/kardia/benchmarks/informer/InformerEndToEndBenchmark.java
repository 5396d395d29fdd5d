package io.kardia.benchmarks.informer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ListOptions;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.json.Json;
import io.kardia.core.model.ListMeta;
import io.kardia.core.model.ObjectList;
import io.kardia.core.model.Pod;
import java.io.ByteArrayInputStream;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * End-to-end informer benchmark (a main, not JMH: each measurement is seconds long and stateful).
 * For each pod count it loads a reference store with realistic ~3 KB pods and measures, for each
 * informer: time from start to synced (median of 5 after {@code warmups} (default 2) unmeasured syncs, each timed one starting from a collected heap), heap retained per cached pod
 * after GC, and write-to-handler latency p50/p99 at a steady write rate. The floor to compare sync
 * times with is Jackson alone decoding the same list bytes (Kardia's model and fabric8's).
 *
 * <p>Arguments: {@code pods=10000,50000 rate=1000 seconds=5 http=true|false only=<part of an informer's name> warmups=2}.
 */
public final class InformerEndToEndBenchmark {
    /** One informer's numbers for one pod count. */
    record Row(String subject, int pods, double syncMs, double peakMb, double bytesPerPod, int samples, double p50,
               double p99, double max) {
    }

    /** The list body as Kardia decodes it. */
    record KardiaPodList(String apiVersion, String kind, ListMeta metadata, List<Pod> items) {
    }

    private InformerEndToEndBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = List.of(10_000, 50_000);
        int rate = 1000;
        int seconds = 5;
        boolean http = true;
        int warmups = 2;
        String only = "";
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "pods" -> sizes = java.util.Arrays.stream(kv[1].split(",")).map(Integer::parseInt).toList();
                case "rate" -> rate = Integer.parseInt(kv[1]);
                case "seconds" -> seconds = Integer.parseInt(kv[1]);
                case "http" -> http = Boolean.parseBoolean(kv[1]);
                case "only" -> only = kv[1];
                case "warmups" -> warmups = Integer.parseInt(kv[1]);
                default -> throw new IllegalArgumentException("unknown argument " + a + "; use pods=, rate=, seconds=, http=, only=, warmups=");
            }
        }
        List<String> report = new ArrayList<>();
        for (int n : sizes) {
            try (BenchStore store = new BenchStore(n)) {
                byte[] list = store.listBytes();
                report.add(String.format(Locale.ROOT, "%,d pods: list body %,d bytes (%,d bytes per pod)", n, list.length,
                        list.length / n));
                report.add(decodeLine("Jackson only, Kardia model", () -> Json.mapper().readValue(list, KardiaPodList.class).items(), n));
                KubernetesSerialization f8 = new KubernetesSerialization(new ObjectMapper(), true);
                report.add(decodeLine("Jackson only, fabric8 model", () -> f8.unmarshal(new ByteArrayInputStream(list),
                        io.fabric8.kubernetes.api.model.PodList.class).getItems(), n));
                report.add(listLine("Kardia client, paged list only (in-process)", store.client, n));

                List<InformerSubject> subjects = new ArrayList<>();
                subjects.add(new KardiaSubject("Kardia SharedInformer (in-process)", store.client, KardiaSubject.Slimming.NONE));
                subjects.add(new KardiaSubject("Kardia SharedInformer (in-process), WatchList", store.client,
                        KardiaSubject.Slimming.NONE, true, false));
                subjects.add(new KardiaSubject("Kardia metadata-only informer (in-process), WatchList", store.client,
                        KardiaSubject.Slimming.NONE, true, true));
                subjects.add(new KardiaSubject("Kardia (in-process) + intern labels/annotations", store.client,
                        KardiaSubject.Slimming.INTERN_LABELS_AND_ANNOTATIONS));
                subjects.add(new KardiaSubject("Kardia (in-process) + drop managedFields", store.client,
                        KardiaSubject.Slimming.DROP_MANAGED_FIELDS));
                subjects.add(new KardiaSubject("Kardia (in-process) + both", store.client, KardiaSubject.Slimming.BOTH));
                List<AutoCloseable> closeables = new ArrayList<>();
                if (http) {
                    HttpSubjects.addTo(store, subjects, closeables);
                    report.add(listLine("Kardia client, paged list only (HTTP)", HttpSubjects.kardiaClient(closeables), n));
                }
                List<Row> rows = new ArrayList<>();
                for (InformerSubject s : subjects) {
                    if (!s.name().contains(only)) {
                        continue;
                    }
                    System.out.println("measuring " + s.name() + " with " + n + " pods");
                    rows.add(measure(s, store, rate, seconds, warmups));
                    System.out.println(rows.getLast());
                }
                for (AutoCloseable c : closeables.reversed()) {
                    c.close();
                }
                report.add("| informer | pods | sync ms (median) | peak heap during sync MB (median) | heap bytes/pod "
                        + "| latency samples | p50 ms | p99 ms | max ms |");
                report.add("|---|---|---|---|---|---|---|---|---|");
                for (Row r : rows) {
                    report.add(String.format(Locale.ROOT, "| %s | %,d | %.0f | %.0f | %,.0f | %d | %.2f | %.2f | %.2f |",
                            r.subject(), r.pods(), r.syncMs(), r.peakMb(), r.bytesPerPod(), r.samples(), r.p50(), r.p99(),
                            r.max()));
                }
            }
        }
        System.out.println();
        report.forEach(System.out::println);
        System.exit(0); // HTTP client and server threads would keep the JVM alive
    }

    /** Decode time of the whole list body, and the heap its decoded items retain. */
    private static String decodeLine(String what, Callable<List<?>> decode, int n) throws Exception {
        for (int i = 0; i < 2; i++) {
            check(decode.call().size(), n, what);
        }
        double[] ms = new double[5];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            check(decode.call().size(), n, what);
            ms[i] = Measure.millis(System.nanoTime() - t0);
        }
        long before = Measure.usedHeapAfterGc();
        List<?> kept = decode.call();
        long after = Measure.usedHeapAfterGc();
        Reference.reachabilityFence(kept);
        return String.format(Locale.ROOT, "%s: decode of the whole list %.0f ms (median of 5); decoded items retain %,.0f bytes/pod",
                what, Measure.median(ms), (after - before) / (double) n);
    }

    /** Time to page through every pod (limit 500) with a Kardia client, decoding but caching nothing. */
    private static String listLine(String what, KubeClient client, int n) throws Exception {
        ResourceClient<Pod> pods = client.resources(Pod.class);
        Callable<Integer> listAll = () -> {
            int count = 0;
            ListOptions opts = ListOptions.all().withLimit(500);
            while (true) {
                ObjectList<Pod> page = pods.list(null, opts);
                count += page.items().size();
                if (!page.hasMore()) {
                    return count;
                }
                opts = opts.withContinue(page.continueToken());
            }
        };
        check(listAll.call(), n, what);
        double[] ms = new double[3];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            check(listAll.call(), n, what);
            ms[i] = Measure.millis(System.nanoTime() - t0);
        }
        return String.format(Locale.ROOT, "%s: %.0f ms (median of 3)", what, Measure.median(ms));
    }

    private static Row measure(InformerSubject s, BenchStore store, int rate, int seconds, int warmups) throws Exception {
        for (int i = 0; i < warmups; i++) { // the JIT is still compiling the list and decode paths in the first runs
            s.startAndSync();
            s.stop();
        }
        double[] ms = new double[5];
        double[] peakMb = new double[5];
        for (int i = 0; i < ms.length; i++) {
            // Each timed sync starts from a collected heap, so it pays for its own garbage, not for
            // the previous run's (a young pause is 50-70 ms here with the store's pods in the heap).
            long base = Measure.usedHeapAfterGc();
            try (Measure.PeakHeap peak = Measure.PeakHeap.start()) {
                ms[i] = Measure.millis(s.startAndSync());
                peakMb[i] = (peak.peak() - base) / 1e6;
            }
            check(s.cached(), store.pods, s.name());
            s.stop();
        }
        // Heap held by the informer: in use with it synced, minus the lower of the readings taken
        // before it started and after it stopped. Either one alone was skewed now and then by
        // informers still winding down (an earlier subject's, or a stopped fabric8 informer that
        // had not let go of its cache yet); such leftovers only ever raise a reading.
        long before = Measure.usedHeapAfterGc();
        s.startAndSync();
        long after = Measure.usedHeapAfterGc();
        s.stop();
        long released = Measure.usedHeapAfterGc();
        double perPod = (after - Math.min(before, released)) / (double) store.pods;
        s.startAndSync();

        LatencyRecorder recorder = new LatencyRecorder(rate * seconds);
        s.attach(recorder);
        int writes = TimedWriter.run(store, rate, seconds, new Random(42));
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (recorder.count() < writes && System.nanoTime() < deadline) {
            Thread.sleep(10); // waiting for stragglers before reading the percentiles
        }
        Row row = new Row(s.name(), store.pods, Measure.median(ms), Measure.median(peakMb), perPod, recorder.count(), recorder.p(50), recorder.p(99),
                recorder.p(100));
        s.stop();
        Reference.reachabilityFence(s);
        return row;
    }

    private static void check(int got, int expected, String what) {
        if (got != expected) {
            throw new IllegalStateException(what + " saw " + got + " pods, expected " + expected);
        }
    }
}
