package io.kardia.store.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyTest {
    @TempDir
    Path dir;

    @Test
    void aNewKeyIsMadeAndWrittenOwnerOnlyOnFirstUseAndReadBackTheSame() throws IOException {
        Path file = dir.resolve("service-account.key");
        SigningKey made = SigningKey.loadOrCreate(file);
        assertThat(file).as("nothing is generated or written before the key is used").doesNotExist();

        String kid = made.keyId();
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(made.keyId()).isEqualTo(kid);

        SigningKey reread = SigningKey.loadOrCreate(file);
        assertThat(reread.keyId()).isEqualTo(kid);
        assertThat(reread.publicKey()).isEqualTo(made.publicKey());
    }

    @Test
    void aDamagedKeyFileIsRefusedAtLoadWithWhatToDo() throws IOException {
        Path file = dir.resolve("service-account.key");
        Files.writeString(file, "not a key");
        assertThatThrownBy(() -> SigningKey.loadOrCreate(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a PKCS#8 PEM private key").hasMessageContaining("delete it");
    }

    @Test
    void ephemeralKeysAreDistinct() {
        assertThat(SigningKey.ephemeral().keyId()).isNotEqualTo(SigningKey.ephemeral().keyId());
    }
}
