package io.kardia.store.journal;

import io.kardia.store.PrivateFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends records to the log with group commit: callers queue encoded frames; one platform
 * thread takes everything queued, writes it with one write and one {@code force}, then completes
 * all those futures. Concurrent writers therefore share fsyncs. When recent groups were larger
 * than what is queued, the writer first waits a fraction of an fsync for the rest (adaptive
 * commit delay). Rolls to a new segment file once the current one reaches the configured size.
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final int INITIAL_BUFFER = 256 << 10;
    private static final long MAX_GATHER_NANOS = 200_000;
    private static final int MAX_EXPECTED_BATCH = 64;

    private record Pending(long revision, byte[] frame, CompletableFuture<Void> done) {
    }

    private final Path dir;
    private final long segmentBytes;
    private final NavigableMap<Long, Path> segments;
    private final AtomicLong bytesSinceSnapshot;
    private final Thread thread;
    private final AtomicLong batches = new AtomicLong();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition queued = lock.newCondition();
    private List<Pending> pending = new ArrayList<>();
    private long lastQueuedRevision;
    private boolean closed;
    private Throwable failure;

    // Touched only by the writer thread.
    private int expectedBatch = 1;
    private long lastForceNanos;
    private long lastWrittenRevision;
    private FileChannel channel;
    private long channelSize;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(INITIAL_BUFFER);

    GroupCommitWriter(Path dir, long segmentBytes, NavigableMap<Long, Path> segments, long lastRevision,
                      AtomicLong bytesSinceSnapshot) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.segments = segments;
        this.bytesSinceSnapshot = bytesSinceSnapshot;
        this.lastQueuedRevision = lastRevision;
        this.lastWrittenRevision = lastRevision;
        this.thread = Thread.ofPlatform().name("kardia-journal-writer").daemon(true).unstarted(this::run);
        thread.start();
    }

    CompletableFuture<Void> append(JournalRecord record) {
        byte[] frame = Frames.encode(record);
        CompletableFuture<Void> done = new CompletableFuture<>();
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("journal in " + dir + " is closed");
            }
            if (failure != null) {
                return CompletableFuture.failedFuture(new UncheckedIOException(
                        "journal in " + dir + " stopped after a failed write", asIoException(failure)));
            }
            if (record.revision() <= lastQueuedRevision) {
                throw new IllegalStateException("journal appends must have strictly increasing revisions: got "
                        + record.revision() + " after " + lastQueuedRevision);
            }
            lastQueuedRevision = record.revision();
            pending.add(new Pending(record.revision(), frame, done));
            queued.signal();
        } finally {
            lock.unlock();
        }
        return done;
    }

    long lastQueuedRevision() {
        lock.lock();
        try {
            return lastQueuedRevision;
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            lock.lock();
            try {
                while (pending.isEmpty() && !closed) {
                    queued.awaitUninterruptibly();
                }
                if (pending.isEmpty()) {
                    return;
                }
                gatherLateAppenders();
                List<Pending> taken = pending;
                pending = batch;
                batch = taken;
            } finally {
                lock.unlock();
            }
            try {
                write(batch);
                // Recent concurrency, forgotten slowly; capped so a bulk burst does not make later writes wait.
                expectedBatch = Math.min(MAX_EXPECTED_BATCH, Math.max(batch.size(), expectedBatch - 1));
            } catch (Throwable e) {
                fail(batch, e);
                return;
            }
            for (Pending written : batch) {
                written.done().complete(null);
            }
            batch.clear();
        }
    }

    /**
     * Adaptive commit delay: when recent groups were larger than what is queued now, the other
     * writers are most likely still on their way back from their previous acknowledgement; waiting
     * a fraction of an fsync for them fills the group. A lone writer never waits.
     */
    private void gatherLateAppenders() {
        if (pending.size() >= expectedBatch || closed) {
            return;
        }
        long deadline = System.nanoTime() + Math.min(MAX_GATHER_NANOS, lastForceNanos / 2);
        long left;
        while (pending.size() < expectedBatch && !closed && (left = deadline - System.nanoTime()) > 0) {
            try {
                queued.awaitNanos(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void write(List<Pending> batch) throws IOException {
        int total = 0;
        for (Pending p : batch) {
            total += p.frame().length;
        }
        if (channel == null || channelSize >= segmentBytes) {
            roll(batch.getFirst().revision());
        }
        if (buffer.capacity() < total) {
            buffer = ByteBuffer.allocateDirect(Math.max(total, buffer.capacity() * 2));
        }
        buffer.clear();
        for (Pending p : batch) {
            buffer.put(p.frame());
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        long forceStarted = System.nanoTime();
        channel.force(false);
        lastForceNanos = System.nanoTime() - forceStarted;
        channelSize += total;
        lastWrittenRevision = batch.getLast().revision();
        bytesSinceSnapshot.addAndGet(total);
        batches.incrementAndGet();
    }

    /** How many write+force rounds ran; fewer than appends means fsyncs were shared. */
    long batchesWritten() {
        return batches.get();
    }

    /** Starts a new segment named after its first record, recording the revision before it. */
    private void roll(long firstRevision) throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
        Path file = JournalFiles.segment(dir, firstRevision);
        FileChannel created = PrivateFiles.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            SnapshotFile.writeFully(created, FileFormat.header(FileFormat.Kind.SEGMENT, firstRevision, lastWrittenRevision));
            created.force(false);
            JournalFiles.syncDirectory(dir);
        } catch (IOException | RuntimeException e) {
            created.close();
            throw e;
        }
        channel = created;
        channelSize = FileFormat.HEADER_SIZE;
        segments.put(firstRevision, file);
        LOG.debug("Started log segment {}", file);
    }

    private void fail(List<Pending> batch, Throwable cause) {
        LOG.error("Journal write in {} failed; refusing further appends (acknowledged writes stay durable)", dir, cause);
        List<Pending> rest;
        lock.lock();
        try {
            failure = cause;
            rest = pending;
            pending = new ArrayList<>();
        } finally {
            lock.unlock();
        }
        UncheckedIOException error = new UncheckedIOException("journal write in " + dir + " failed", asIoException(cause));
        batch.forEach(p -> p.done().completeExceptionally(error));
        rest.forEach(p -> p.done().completeExceptionally(error));
    }

    private static IOException asIoException(Throwable cause) {
        return cause instanceof IOException io ? io : new IOException(cause);
    }

    /** Writes what is queued, stops the writer thread and closes the current segment. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            queued.signal();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("Closing log segment in {} failed", dir, e);
            }
        }
    }
}
