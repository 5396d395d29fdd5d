package io.kardia.store.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileJournalTest {
    private static final FileJournal.Options SMALL_SEGMENTS = FileJournal.Options.defaults().withSegmentBytes(8 * 1024);

    @TempDir
    Path dir;

    private final JournalWorkload workload = new JournalWorkload(1, 50, 600);
    /** Small records for the tests that damage every byte of one record. */
    private final JournalWorkload small = new JournalWorkload(3, 50, 120);

    @Test
    void appendedRecordsAreRecoveredInOrder() {
        List<JournalRecord> written = appendRevisions(dir, FileJournal.Options.defaults(), 1, 100);

        assertThat(recoverAll(dir)).containsExactlyElementsOf(written);
    }

    @Test
    void filesLargerThanTheReadBufferAndRecordsLargerThanItRoundTrip() {
        JournalWorkload large = new JournalWorkload(2, 2_000, 3_000);
        Map<String, JournalRecord> state = new java.util.HashMap<>();
        List<JournalRecord> afterSnapshot = new ArrayList<>();
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        try (FileJournal journal = FileJournal.open(dir)) {
            journal.recover(r -> { });
            for (long rev = 1; rev <= 4_000; rev++) {
                JournalRecord record = rev % 1_000 == 0
                        ? JournalRecord.put(rev, "configmaps", "default/huge-" + rev, new byte[(int) (1.5 * (1 << 20))])
                        : large.record(rev);
                JournalWorkload.apply(state, record);
                pending.add(journal.append(record)); // not waited for one by one: fewer fsyncs, faster test
                if (rev == 2_500) {
                    journal.snapshot(rev, List.copyOf(state.values()));
                } else if (rev > 2_500) {
                    afterSnapshot.add(record);
                }
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        }
        List<JournalRecord> recovered = recoverAll(dir);
        assertThat(JournalWorkload.state(recovered)).isEqualTo(state);
        assertThat(recovered.subList(recovered.size() - afterSnapshot.size(), recovered.size()))
                .containsExactlyElementsOf(afterSnapshot);
    }

    @Test
    void eightConcurrentAppendersShareFsyncsAndKeepRevisionOrder() throws Exception {
        int threads = 8;
        int perThread = 300;
        List<CompletableFuture<Void>> futures = Collections.synchronizedList(new ArrayList<>());
        try (FileJournal journal = FileJournal.open(dir)) {
            journal.recover(r -> { });
            Object order = new Object();
            long[] next = {0};
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        CompletableFuture<Void> appended;
                        synchronized (order) { // the store assigns revisions and appends under one lock
                            appended = journal.append(workload.record(++next[0]));
                        }
                        futures.add(appended);
                        appended.get(10, TimeUnit.SECONDS);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(futures).hasSize(threads * perThread).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
            assertThat(journal.batchesWritten()).as("fsync batches for %d appends", threads * perThread)
                    .isLessThan(threads * perThread);
        }
        List<JournalRecord> recovered = recoverAll(dir);
        assertThat(recovered).extracting(JournalRecord::revision)
                .containsExactlyElementsOf(range(1, threads * perThread));
        assertThat(recovered).allMatch(r -> r.equals(workload.record(r.revision())));
    }

    @Test
    void tornTailAtEveryByteOfTheLastRecordIsDroppedAndTruncated() throws IOException {
        List<JournalRecord> written = appendRevisions(dir, FileJournal.Options.defaults(), 1, 5, small);
        Path segment = onlySegment(dir);
        byte[] whole = Files.readAllBytes(segment);
        int lastStart = whole.length - Frames.encode(written.getLast()).length;

        for (int cut = lastStart; cut < whole.length; cut++) {
            Path copy = Files.createDirectories(dir.resolve("torn-" + cut));
            Path tornSegment = copy.resolve(segment.getFileName());
            Files.write(tornSegment, java.util.Arrays.copyOf(whole, cut));

            assertThat(recoverAll(copy)).as("cut at %d", cut).containsExactlyElementsOf(written.subList(0, 4));
            assertThat(Files.size(tornSegment)).isEqualTo(lastStart);
        }
        // After truncation the journal continues normally, the dropped revision can be written again.
        Path copy = dir.resolve("torn-" + (lastStart + 3));
        appendRevisions(copy, FileJournal.Options.defaults(), 5, 6, small);
        assertThat(recoverAll(copy)).extracting(JournalRecord::revision).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    /**
     * A complete last record that fails its checksum is damage to a write that may have been
     * acknowledged, not a torn write: recovery refuses, naming file and offset, and truncates
     * nothing, unless the operator asks to drop it. (A flip in the length prefix that makes the
     * record look longer than the file is indistinguishable from a torn write and is dropped.)
     */
    @Test
    void aDamagedCompleteLastRecordIsACorruptionUnlessTheOperatorDropsIt() throws IOException {
        List<JournalRecord> written = appendRevisions(dir, FileJournal.Options.defaults(), 1, 5, small);
        Path segment = onlySegment(dir);
        byte[] whole = Files.readAllBytes(segment);
        int lastStart = whole.length - Frames.encode(written.getLast()).length;

        int refused = 0;
        for (int flip = lastStart; flip < whole.length; flip++) {
            Path copy = Files.createDirectories(dir.resolve("flip-" + flip));
            byte[] damaged = whole.clone();
            damaged[flip] ^= 0x01;
            Path file = copy.resolve(segment.getFileName());
            Files.write(file, damaged);
            boolean looksIncomplete = Frames.validate(damaged, lastStart, damaged.length - lastStart) == Frames.TRUNCATED;
            if (looksIncomplete) {
                assertThat(flip).as("only the length prefix can make a record look incomplete").isLessThan(lastStart + 4);
                assertThat(recoverAll(copy)).as("flipped byte %d", flip).containsExactlyElementsOf(written.subList(0, 4));
                continue;
            }
            refused++;
            assertThatThrownBy(() -> recoverAll(copy)).as("flipped byte %d", flip)
                    .isInstanceOf(JournalCorruptedException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("byte offset " + lastStart)
                    .hasMessageContaining("--drop-damaged-journal-tail");
            assertThat(Files.size(file)).as("nothing truncated").isEqualTo(whole.length);

            List<JournalRecord> kept = new ArrayList<>();
            try (FileJournal journal = FileJournal.open(copy, FileJournal.Options.defaults().withDropDamagedLastRecord(true))) {
                journal.recover(kept::add);
            }
            assertThat(kept).as("flipped byte %d, dropped on request", flip).containsExactlyElementsOf(written.subList(0, 4));
            assertThat(Files.size(file)).isEqualTo(lastStart);
        }
        assertThat(refused).isGreaterThan(whole.length - lastStart - 4);
    }

    @Test
    void aZeroFilledTailIsATornWrite() throws IOException {
        List<JournalRecord> written = appendRevisions(dir, FileJournal.Options.defaults(), 1, 5, small);
        Path segment = onlySegment(dir);
        byte[] whole = Files.readAllBytes(segment);
        byte[] withZeros = java.util.Arrays.copyOf(whole, whole.length + 4096);
        Files.write(segment, withZeros);
        assertThat(recoverAll(dir)).containsExactlyElementsOf(written);
        assertThat(Files.size(segment)).isEqualTo(whole.length);
    }

    @Test
    void aDamagedMiddleRecordIsACorruptionNamingFileAndOffset() throws IOException {
        List<JournalRecord> written = appendRevisions(dir, FileJournal.Options.defaults(), 1, 5, small);
        Path segment = onlySegment(dir);
        byte[] whole = Files.readAllBytes(segment);
        int thirdStart = FileFormat.HEADER_SIZE + Frames.encode(written.get(0)).length + Frames.encode(written.get(1)).length;
        int thirdEnd = thirdStart + Frames.encode(written.get(2)).length;

        for (int flip = thirdStart; flip < thirdEnd; flip++) {
            Path copy = Files.createDirectories(dir.resolve("flip-" + flip));
            byte[] damaged = whole.clone();
            damaged[flip] ^= 0x40;
            Files.write(copy.resolve(segment.getFileName()), damaged);

            assertThatThrownBy(() -> recoverAll(copy)).as("flipped byte %d", flip)
                    .isInstanceOf(JournalCorruptedException.class)
                    .hasMessageContaining(copy.resolve(segment.getFileName()).toString())
                    .hasMessageContaining("byte offset " + thirdStart);
            assertThat(Files.size(copy.resolve(segment.getFileName()))).as("nothing truncated").isEqualTo(whole.length);
        }
    }

    @Test
    void damageAtTheEndOfAnOlderSegmentIsACorruption() throws IOException {
        appendRevisions(dir, SMALL_SEGMENTS, 1, 60);
        List<Path> segments = segmentFiles(dir);
        assertThat(segments).hasSizeGreaterThan(2);
        Path older = segments.get(segments.size() - 2);
        try (FileChannel channel = FileChannel.open(older, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 3);
        }

        assertThatThrownBy(() -> recoverAll(dir)).isInstanceOf(JournalCorruptedException.class)
                .hasMessageContaining(older.toString())
                .hasMessageContaining("not the newest");
    }

    @Test
    void aRevisionGoingBackwardsIsACorruption() throws IOException {
        Path segment = JournalFiles.segment(dir, 1);
        List<JournalRecord> records = List.of(workload.record(1), workload.record(2), workload.record(5), workload.record(3));
        writeSegment(segment, 1, 0, records);
        long offsetOfThree = FileFormat.HEADER_SIZE + records.subList(0, 3).stream().mapToLong(r -> Frames.encode(r).length).sum();

        assertThatThrownBy(() -> recoverAll(dir)).isInstanceOf(JournalCorruptedException.class)
                .hasMessageContaining("revision went backwards: 3 after 5")
                .hasMessageContaining(segment + " at byte offset " + offsetOfThree);
    }

    @Test
    void aMissingSegmentIsACorruption() throws IOException {
        appendRevisions(dir, SMALL_SEGMENTS, 1, 60);
        List<Path> segments = segmentFiles(dir);
        Files.delete(segments.get(1));

        assertThatThrownBy(() -> recoverAll(dir)).isInstanceOf(JournalCorruptedException.class)
                .hasMessageContaining("log is missing revisions")
                .hasMessageContaining(segments.get(2).toString());
    }

    @Test
    void aFileFromAnotherFormatVersionIsRefused() throws IOException {
        appendRevisions(dir, FileJournal.Options.defaults(), 1, 3);
        Path segment = onlySegment(dir);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ByteBuffer header = FileFormat.header(FileFormat.Kind.SEGMENT, 1, 0);
            header.putInt(4, 99); // a future format version, header checksum recomputed
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(header.array(), 0, FileFormat.HEADER_SIZE - 4);
            header.putInt(FileFormat.HEADER_SIZE - 4, (int) crc.getValue());
            channel.write(header, 0);
        }

        assertThatThrownBy(() -> recoverAll(dir)).isInstanceOf(JournalFormatException.class)
                .hasMessageContaining("format version 99").hasMessageContaining(segment.toString());
    }

    @Test
    void snapshotPlusLogReplayEqualsTheStateBefore() throws IOException {
        Map<String, JournalRecord> state;
        try (FileJournal journal = FileJournal.open(dir, SMALL_SEGMENTS)) {
            journal.recover(r -> { });
            state = new java.util.HashMap<>();
            for (long rev = 1; rev <= 200; rev++) {
                JournalRecord record = workload.record(rev);
                JournalWorkload.apply(state, record);
                journal.append(record).join();
                if (rev == 80 || rev == 150) {
                    journal.snapshot(rev, List.copyOf(state.values()));
                }
            }
        }
        assertThat(snapshotFiles(dir)).containsExactly(JournalFiles.snapshot(dir, 150));
        assertThat(segmentFiles(dir).getFirst().getFileName().toString())
                .as("segments wholly covered by the snapshot are deleted")
                .isGreaterThan(JournalFiles.segment(dir, 100).getFileName().toString());

        List<JournalRecord> recovered = new ArrayList<>();
        long highest;
        try (FileJournal journal = FileJournal.open(dir, SMALL_SEGMENTS)) {
            highest = journal.recover(recovered::add);
        }
        assertThat(highest).isEqualTo(200);
        assertThat(JournalWorkload.state(recovered)).isEqualTo(state).isEqualTo(workload.stateAt(200));
        assertThat(recovered.stream().filter(r -> r.revision() > 150).map(JournalRecord::revision))
                .containsExactlyElementsOf(range(151, 200));
    }

    @Test
    void theOnlySnapshotDamagedWhileItsLogIsGoneIsACorruption() throws IOException {
        writeWithSnapshot(SMALL_SEGMENTS, 120, 100);
        Path snapshot = JournalFiles.snapshot(dir, 100);
        flipByte(snapshot, Files.size(snapshot) / 2);

        assertThatThrownBy(() -> recoverAll(dir)).isInstanceOf(JournalCorruptedException.class)
                .hasMessageContaining(snapshot.toString()).hasMessageContaining("byte offset");
    }

    @Test
    void aDamagedSnapshotIsSetAsideWhenTheLogStillHoldsEverything() throws IOException {
        Map<String, JournalRecord> state = writeWithSnapshot(FileJournal.Options.defaults(), 120, 100);
        Path snapshot = JournalFiles.snapshot(dir, 100);
        flipByte(snapshot, Files.size(snapshot) / 2);

        assertThat(JournalWorkload.state(recoverAll(dir))).isEqualTo(state);
        assertThat(snapshot).doesNotExist();
        assertThat(snapshot.resolveSibling(snapshot.getFileName() + ".damaged")).exists();
    }

    @Test
    void aTruncatedSnapshotIsACorruption() throws IOException {
        writeWithSnapshot(SMALL_SEGMENTS, 120, 100);
        Path snapshot = JournalFiles.snapshot(dir, 100);
        try (FileChannel channel = FileChannel.open(snapshot, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 10);
        }

        assertThatThrownBy(() -> recoverAll(dir)).isInstanceOf(JournalCorruptedException.class)
                .hasMessageContaining(snapshot.toString());
    }

    @Test
    void snapshotsDuringConcurrentAppendsLoseNothing() throws Exception {
        Map<String, JournalRecord> state = new java.util.HashMap<>();
        long lastRevision;
        try (FileJournal journal = FileJournal.open(dir, SMALL_SEGMENTS)) {
            journal.recover(r -> { });
            Object order = new Object();
            long[] next = {0};
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(5);
            List<Future<?>> appenders = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                appenders.add(pool.submit(() -> {
                    for (int i = 0; i < 400; i++) {
                        CompletableFuture<Void> appended;
                        synchronized (order) {
                            JournalRecord record = workload.record(++next[0]);
                            JournalWorkload.apply(state, record);
                            appended = journal.append(record);
                        }
                        appended.join();
                    }
                    return null;
                }));
            }
            Future<Integer> snapshotter = pool.submit(() -> {
                int taken = 0;
                while (!stop.get()) {
                    long revision;
                    List<JournalRecord> live;
                    synchronized (order) {
                        revision = next[0];
                        live = List.copyOf(state.values());
                    }
                    if (revision > 0) {
                        journal.snapshot(revision, live);
                        taken++;
                    }
                }
                return taken;
            });
            for (Future<?> appender : appenders) {
                appender.get(60, TimeUnit.SECONDS);
            }
            stop.set(true);
            assertThat(snapshotter.get(60, TimeUnit.SECONDS)).isPositive();
            pool.shutdown();
            lastRevision = next[0];
        }
        List<JournalRecord> recovered = new ArrayList<>();
        try (FileJournal journal = FileJournal.open(dir, SMALL_SEGMENTS)) {
            assertThat(journal.recover(recovered::add)).isEqualTo(lastRevision);
        }
        assertThat(JournalWorkload.state(recovered)).isEqualTo(state).isEqualTo(workload.stateAt(lastRevision));
    }

    @Test
    void asecondJournalOnTheSameDirectoryIsRefused() {
        try (FileJournal first = FileJournal.open(dir)) {
            assertThatThrownBy(() -> FileJournal.open(dir)).isInstanceOf(JournalLockedException.class)
                    .hasMessageContaining(dir.toString()).hasMessageContaining("already in use");
        }
        FileJournal.open(dir).close(); // released on close
    }

    @Test
    void appendsMustFollowRecoveryAndIncreaseRevisions() {
        try (FileJournal journal = FileJournal.open(dir)) {
            assertThatThrownBy(() -> journal.append(workload.record(1))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("recover()");
            journal.recover(r -> { });
            journal.append(workload.record(5)).join();
            assertThatThrownBy(() -> journal.append(workload.record(5))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("strictly increasing");
            assertThatThrownBy(() -> journal.snapshot(6, List.of())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ahead of the last appended revision 5");
            journal.close();
            assertThatThrownBy(() -> journal.append(workload.record(6))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
    }

    @Test
    void snapshotIsDueOnceEnoughLogWasWritten() {
        FileJournal.Options options = FileJournal.Options.defaults().withSnapshotThresholdBytes(10_000);
        try (FileJournal journal = FileJournal.open(dir, options)) {
            journal.recover(r -> { });
            Map<String, JournalRecord> state = new java.util.HashMap<>();
            long rev = 0;
            while (!journal.snapshotDue()) {
                JournalRecord record = workload.record(++rev);
                JournalWorkload.apply(state, record);
                journal.append(record).join();
            }
            assertThat(rev).isGreaterThan(10); // values are at most 600 bytes
            journal.snapshot(rev, List.copyOf(state.values()));
            assertThat(journal.snapshotDue()).isFalse();
        }
    }

    @Test
    void inMemoryJournalCompletesAtOnceAndChecksOrder() {
        try (Journal journal = Journal.inMemory()) {
            assertThat(journal.recover(r -> { })).isZero();
            assertThat(journal.append(workload.record(1))).isCompleted();
            assertThatThrownBy(() -> journal.append(workload.record(1))).isInstanceOf(IllegalStateException.class);
        }
    }

    // --- helpers ---

    private Map<String, JournalRecord> writeWithSnapshot(FileJournal.Options options, long revisions, long snapshotAt) {
        Map<String, JournalRecord> state = new java.util.HashMap<>();
        try (FileJournal journal = FileJournal.open(dir, options)) {
            journal.recover(r -> { });
            for (long rev = 1; rev <= revisions; rev++) {
                JournalRecord record = workload.record(rev);
                JournalWorkload.apply(state, record);
                journal.append(record).join();
                if (rev == snapshotAt) {
                    journal.snapshot(rev, List.copyOf(state.values()));
                }
            }
        }
        return state;
    }

    private List<JournalRecord> appendRevisions(Path directory, FileJournal.Options options, long from, long to) {
        return appendRevisions(directory, options, from, to, workload);
    }

    private static List<JournalRecord> appendRevisions(Path directory, FileJournal.Options options, long from, long to,
                                                       JournalWorkload workload) {
        List<JournalRecord> written = new ArrayList<>();
        try (FileJournal journal = FileJournal.open(directory, options)) {
            assertThat(journal.recover(r -> { })).isEqualTo(from - 1);
            for (long rev = from; rev <= to; rev++) {
                JournalRecord record = workload.record(rev);
                journal.append(record).join();
                written.add(record);
            }
        }
        return written;
    }

    static List<JournalRecord> recoverAll(Path directory) {
        List<JournalRecord> recovered = new ArrayList<>();
        try (FileJournal journal = FileJournal.open(directory)) {
            journal.recover(recovered::add);
        }
        return recovered;
    }

    private static void writeSegment(Path file, long firstRevision, long previousRevision, List<JournalRecord> records)
            throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(FileFormat.header(FileFormat.Kind.SEGMENT, firstRevision, previousRevision));
            for (JournalRecord record : records) {
                channel.write(ByteBuffer.wrap(Frames.encode(record)));
            }
        }
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, offset);
            one.put(0, (byte) (one.get(0) ^ 0x20)).position(0);
            channel.write(one, offset);
        }
    }

    private static Path onlySegment(Path directory) throws IOException {
        List<Path> segments = segmentFiles(directory);
        assertThat(segments).hasSize(1);
        return segments.getFirst();
    }

    static List<Path> segmentFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().startsWith("wal-")).sorted().toList();
        }
    }

    private static List<Path> snapshotFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".snap")).sorted().toList();
        }
    }

    private static List<Long> range(long from, long to) {
        List<Long> list = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            list.add(i);
        }
        return list;
    }
}
