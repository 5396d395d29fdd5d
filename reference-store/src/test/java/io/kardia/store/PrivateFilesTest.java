package io.kardia.store;

import static io.kardia.store.TestKinds.CONFIGMAPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import io.kardia.store.http.TlsMaterial;
import io.kardia.store.journal.FileJournal;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory and everything private in it are their owner's alone. */
@org.junit.jupiter.api.Timeout(120)
class PrivateFilesTest {
    @TempDir
    Path tmp;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void theDataDirectoryIs0700AndTheJournalAndSnapshots0600() throws Exception {
        Path dir = tmp.resolve("data");
        StoreOptions options = StoreOptions.defaults().withCompactionInterval(Duration.ZERO).withBookmarkInterval(Duration.ZERO)
                .withSnapshotEveryWrites(3);
        try (ReferenceStore store = ReferenceStore.open(options, FileJournal.open(dir))) {
            for (int i = 0; i < 5; i++) {
                ObjectNode cm = (ObjectNode) Json.tree(("{\"metadata\":{\"name\":\"c" + i + "\"}}").getBytes());
                store.create(CONFIGMAPS, "default", cm, WriteOptions.DEFAULT);
            }
        }
        assertThat(mode(dir)).isEqualTo("rwx------");
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).isNotEmpty().allSatisfy(f -> assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------"));
        }
    }

    @Test
    void anOlderWorldReadableDataDirectoryIsRestrictedOnOpen() throws Exception {
        Path dir = tmp.resolve("old");
        try (ReferenceStore store = ReferenceStore.open(StoreOptions.defaults(), FileJournal.open(dir))) {
            store.currentRevision();
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        try (ReferenceStore store = ReferenceStore.open(StoreOptions.defaults(), FileJournal.open(dir))) {
            assertThat(store.currentRevision()).isPositive();
        }
        assertThat(mode(dir)).isEqualTo("rwx------");
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).allSatisfy(f -> assertThat(mode(f)).isEqualTo("rw-------"));
        }
    }

    @Test
    void privateFilesAreCreatedWithTheirModeAndWrittenAtomically() throws Exception {
        Path f = tmp.resolve("token");
        PrivateFiles.writeString(f, "secret\n");
        assertThat(mode(f)).isEqualTo("rw-------");
        PrivateFiles.writeString(f, "other\n");
        assertThat(Files.readString(f)).isEqualTo("other\n");
        assertThat(tmp.resolve("token.tmp")).doesNotExist();
    }

    @Test
    void tlsKeysAreOwnerOnlyUnderARandomPasswordAndOldKeystoresAreReProtected() throws Exception {
        Path dir = tmp.resolve("tls");
        TlsMaterial tls = TlsMaterial.ensure(dir);
        assertThat(mode(dir)).isEqualTo("rwx------");
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).allSatisfy(f -> assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------"));
        }
        String password = Files.readString(dir.resolve("keystore-password")).strip();
        assertThat(password).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo("kardia-local");
        assertThatThrownBy(() -> load(dir.resolve("server.p12"), "kardia-local")).isInstanceOf(Exception.class);
        tls.sslContext();

        // A data directory of an older version: keystores under the fixed password, no password file.
        String ca = tls.caPem();
        for (String store : new String[] {"ca.p12", "server.p12"}) {
            KeyStore ks = load(dir.resolve(store), password);
            KeyStore legacy = KeyStore.getInstance("PKCS12");
            legacy.load(null, null);
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    legacy.setKeyEntry(alias, ks.getKey(alias, password.toCharArray()), "kardia-local".toCharArray(),
                            ks.getCertificateChain(alias));
                } else {
                    legacy.setCertificateEntry(alias, ks.getCertificate(alias));
                }
            }
            try (OutputStream out = Files.newOutputStream(dir.resolve(store))) {
                legacy.store(out, "kardia-local".toCharArray());
            }
        }
        Files.delete(dir.resolve("keystore-password"));
        TlsMaterial migrated = TlsMaterial.ensure(dir);
        migrated.sslContext();
        assertThat(migrated.caPem()).isEqualTo(ca);
        String fresh = Files.readString(dir.resolve("keystore-password")).strip();
        load(dir.resolve("server.p12"), fresh);
        assertThatThrownBy(() -> load(dir.resolve("server.p12"), "kardia-local")).isInstanceOf(Exception.class);
    }

    private static KeyStore load(Path file, String password) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            return ks;
        }
    }
}
