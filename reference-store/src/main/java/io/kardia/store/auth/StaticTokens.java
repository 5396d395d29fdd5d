package io.kardia.store.auth;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Fixed bearer tokens: the store's admin token and the entries of a static token file. Tokens are
 * kept only as SHA-256 digests and looked up by digest, so neither a heap dump nor the time a
 * lookup takes reveals a token.
 */
public final class StaticTokens implements TokenAuthenticator {
    private final Map<String, UserInfo> byDigest;

    private StaticTokens(Map<String, UserInfo> byDigest) {
        this.byDigest = Map.copyOf(byDigest);
    }

    public static StaticTokens of(Map<String, UserInfo> tokens) {
        Map<String, UserInfo> m = new HashMap<>();
        tokens.forEach((token, user) -> m.put(digest(token), user));
        return new StaticTokens(m);
    }

    @Override
    public Optional<UserInfo> authenticate(String token) {
        return Optional.ofNullable(byDigest.get(digest(token)));
    }

    public int size() {
        return byDigest.size();
    }

    private static String digest(String token) {
        return Hashing.sha256().hashString(token, StandardCharsets.UTF_8).toString();
    }
}
