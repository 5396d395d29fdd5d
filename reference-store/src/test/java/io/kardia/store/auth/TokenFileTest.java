package io.kardia.store.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {
    @TempDir
    Path dir;

    private static Map<String, UserInfo> parse(String csv) throws Exception {
        return TokenFile.parse(new StringReader(csv), "tokens.csv");
    }

    @Test
    void readsKubesFormatWithQuotedGroupLists() throws Exception {
        Map<String, UserInfo> tokens = parse("""
                31ada4fd-adec,alice,1001,"dev,ops"
                  8f3b2c,bob,1002
                77aa,carol,1003,auditors
                """);
        assertThat(tokens.get("31ada4fd-adec")).isEqualTo(UserInfo.of("alice", "1001", List.of("dev", "ops")));
        assertThat(tokens.get("8f3b2c")).isEqualTo(UserInfo.of("bob", "1002", List.of()));
        assertThat(tokens.get("77aa").groups()).containsExactly("auditors");
    }

    @Test
    void aRecordWithTooFewColumnsIsRefusedNamingItButNotItsToken() {
        assertThatThrownBy(() -> parse("good-token,alice,1\nsecret-token,bob\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("token file tokens.csv: record 2 must have at least 3 columns (token, user name, user uid), found 2")
                .hasMessageNotContaining("secret-token");
    }

    @Test
    void anEmptyTokenIsSkippedAndAMissingFileIsNamed() throws Exception {
        assertThat(parse(",nobody,0\nt1,alice,1\n")).containsOnlyKeys("t1");
        assertThatThrownBy(() -> TokenFile.read(dir.resolve("absent.csv")))
                .hasMessageContaining("token file").hasMessageContaining("absent.csv does not exist");
    }

    @Test
    void theTokensAuthenticateTheirUsers() throws Exception {
        Path file = dir.resolve("tokens.csv");
        Files.writeString(file, "tok-a,alice,1001,\"dev,ops\"\n");
        StaticTokens tokens = TokenFile.read(file);
        assertThat(tokens.authenticate("tok-a")).contains(UserInfo.of("alice", "1001", List.of("dev", "ops")));
        assertThat(tokens.authenticate("tok-b")).isEmpty();
    }
}
