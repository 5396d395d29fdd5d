package io.kardia.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.json.Json;
import io.kardia.core.model.Status;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * kube-apiserver's continue token: base64url of {@code {"v":"meta.k8s.io/v1","rv":N,"start":"<key>\u0000"}},
 * the revision of the first page and the key to resume from (inclusive).
 */
record ContinueToken(long revision, String startKey) {

    static ContinueToken after(long revision, String lastKey) {
        return new ContinueToken(revision, lastKey + "\u0000");
    }

    String encode() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", "meta.k8s.io/v1");
        m.put("rv", revision);
        m.put("start", startKey);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.toBytes(m));
    }

    static ContinueToken decode(String token) {
        try {
            JsonNode n = Json.tree(Base64.getUrlDecoder().decode(token));
            if (!"meta.k8s.io/v1".equals(n.path("v").asText()) || !n.path("rv").canConvertToLong()
                    || n.path("rv").asLong() <= 0 || !n.path("start").isTextual()) {
                throw new IllegalArgumentException("unrecognized token content");
            }
            return new ContinueToken(n.path("rv").asLong(), n.path("start").asText());
        } catch (RuntimeException e) {
            throw KubeApiException.of(Status.badRequest("invalid continue token: " + e.getMessage()));
        }
    }
}
