package io.kardia.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files only their owner may read: the data directory (0700) and what it holds (journal,
 * snapshots, keys, token, kubeconfig: 0600). Modes are given at creation, so there is no moment
 * at which another local user could open a file that is being written. On file systems without
 * POSIX permissions the platform's defaults apply.
 */
public final class PrivateFiles {
    private static final Logger LOG = LoggerFactory.getLogger(PrivateFiles.class);
    public static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    /**
     * Creates {@code dir} (and missing parents) as 0700; an existing {@code dir} that others may
     * read is restricted to 0700 (logged), as its content is private.
     */
    public static Path directory(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (!Files.isDirectory(abs)) {
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
            try {
                if (posix(abs.getParent())) {
                    Files.createDirectory(abs, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
                } else {
                    Files.createDirectory(abs);
                }
                return dir;
            } catch (FileAlreadyExistsException raced) {
                // created meanwhile: restrict it below
            }
        }
        if (posix(abs)) {
            Set<PosixFilePermission> now = Files.getPosixFilePermissions(abs);
            if (!now.equals(OWNER_ONLY_DIRECTORY)) {
                LOG.info("Restricting {} to its owner (was {}, now rwx------)", abs, PosixFilePermissions.toString(now));
                Files.setPosixFilePermissions(abs, OWNER_ONLY_DIRECTORY);
            }
        }
        return dir;
    }

    /** Opens a channel on {@code file}, creating it as 0600 when the options create it. */
    public static FileChannel open(Path file, OpenOption... options) throws IOException {
        return FileChannel.open(file, Set.of(options), attributes(file));
    }

    /** Restricts an existing file to 0600 (files a tool such as keytool created). */
    public static void restrict(Path file) throws IOException {
        if (posix(file)) {
            Files.setPosixFilePermissions(file, OWNER_READ_WRITE);
        }
    }

    /**
     * Writes {@code content} to {@code file} atomically: a temporary sibling created 0600, synced,
     * then moved over {@code file}. Readers see the old content or the new one, never a private
     * file with the wrong mode.
     */
    public static void writeString(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try (FileChannel out = open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static FileAttribute<?>[] attributes(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        return posix(parent) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE)}
                : new FileAttribute<?>[0];
    }

    private static boolean posix(Path p) {
        Path probe = p == null ? Path.of("").toAbsolutePath() : p;
        return probe.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
