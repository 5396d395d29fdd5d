package io.kardia.store.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names and lists the files of a journal directory: log segments named by their first revision,
 * snapshots named by their revision, zero-padded so names sort like numbers.
 */
final class JournalFiles {
    private static final Logger LOG = LoggerFactory.getLogger(JournalFiles.class);
    private static final Pattern SEGMENT = Pattern.compile("wal-(\\d{20})\\.log");
    private static final Pattern SNAPSHOT = Pattern.compile("snapshot-(\\d{20})\\.snap");
    static final String TEMP_SUFFIX = ".tmp";

    /** What a directory holds, by revision. */
    record Listing(NavigableMap<Long, Path> segments, NavigableMap<Long, Path> snapshots) {
    }

    private JournalFiles() {
    }

    static Path segment(Path dir, long firstRevision) {
        return dir.resolve(String.format(Locale.ROOT, "wal-%020d.log", firstRevision));
    }

    static Path snapshot(Path dir, long revision) {
        return dir.resolve(String.format(Locale.ROOT, "snapshot-%020d.snap", revision));
    }

    static Path temporary(Path file) {
        return file.resolveSibling(file.getFileName() + TEMP_SUFFIX);
    }

    /** Lists segments and snapshots, deleting leftovers of interrupted snapshot writes. */
    static Listing list(Path dir) throws IOException {
        NavigableMap<Long, Path> segments = new TreeMap<>();
        NavigableMap<Long, Path> snapshots = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                Matcher segment = SEGMENT.matcher(name);
                Matcher snapshot = SNAPSHOT.matcher(name);
                if (segment.matches()) {
                    segments.put(Long.parseLong(segment.group(1)), file);
                } else if (snapshot.matches()) {
                    snapshots.put(Long.parseLong(snapshot.group(1)), file);
                } else if (name.endsWith(TEMP_SUFFIX)) {
                    LOG.info("Deleting {}, left over from an interrupted snapshot", file);
                    Files.delete(file);
                }
            }
        }
        return new Listing(segments, snapshots);
    }

    /** Makes creations, renames and deletions in {@code dir} durable. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
                return; // directories cannot be opened there; NTFS journals metadata itself
            }
            throw e;
        }
    }
}
