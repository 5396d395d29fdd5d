package io.kardia.store.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.client.KubeApiException;
import io.kardia.store.ReferenceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceAccountTokensTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private ReferenceStore store;
    private ServiceAccountTokens tokens;
    private String uid;

    @BeforeEach
    void start() {
        store = ReferenceStore.inMemory();
        tokens = new ServiceAccountTokens(store, SigningKey.shared(), ServiceAccountTokens.DEFAULT_ISSUER, List.of(), clock);
        uid = AuthFixtures.serviceAccount(store, "default", "robot");
    }

    @AfterEach
    void stop() {
        store.close();
    }

    @Test
    void anIssuedTokenNamesTheServiceAccountAndItsGroups() {
        ServiceAccountTokens.Issued issued = tokens.issue("default", "robot", List.of(), 0, null);
        assertThat(issued.expiration()).isEqualTo(now.get().plusSeconds(3600));
        assertThat(issued.audiences()).containsExactly(ServiceAccountTokens.DEFAULT_ISSUER);
        UserInfo user = tokens.authenticate(issued.token()).orElseThrow();
        assertThat(user.name()).isEqualTo("system:serviceaccount:default:robot");
        assertThat(user.uid()).isEqualTo(uid);
        assertThat(user.groups()).containsExactly("system:serviceaccounts", "system:serviceaccounts:default",
                "system:authenticated");
        assertThat(user.extra()).containsKey("authentication.kubernetes.io/credential-id");
    }

    @Test
    void deletingTheServiceAccountOrReCreatingItInvalidatesItsTokens() {
        String token = tokens.issue("default", "robot", List.of(), 0, null).token();
        AuthFixtures.delete(store, "serviceaccounts", "default", "robot");
        assertThat(tokens.authenticate(token)).isEmpty();
        assertThat(tokens.review(token, List.of()).error()).isEqualTo("the ServiceAccount default/robot has been deleted");
        AuthFixtures.serviceAccount(store, "default", "robot");
        assertThat(tokens.review(token, List.of()).error()).contains("was deleted and re-created since the token was issued");
    }

    @Test
    void anExpiredTokenOrAnotherAudienceIsRefused() {
        String token = tokens.issue("default", "robot", List.of(), 600, null).token();
        assertThat(tokens.review(token, List.of("https://vault.example")).error()).contains("include none of");
        now.set(now.get().plus(Duration.ofSeconds(601)));
        assertThat(tokens.review(token, List.of()).error()).isEqualTo("the token has expired");
        String vault = tokens.issue("default", "robot", List.of("https://vault.example"), 0, null).token();
        assertThat(tokens.authenticate(vault)).as("not for this API server").isEmpty();
        assertThat(tokens.review(vault, List.of("https://vault.example")).user()).isNotNull();
    }

    @Test
    void aTokenSignedByAnotherKeyOrTamperedWithIsRefused() {
        ServiceAccountTokens other = new ServiceAccountTokens(store, SigningKey.ephemeral(),
                ServiceAccountTokens.DEFAULT_ISSUER, List.of(), clock);
        String foreign = other.issue("default", "robot", List.of(), 0, null).token();
        assertThat(tokens.review(foreign, List.of()).error()).isEqualTo("the token's signature is invalid");
        String token = tokens.issue("default", "robot", List.of(), 0, null).token();
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(parts[1])).replace("robot", "admin").getBytes()) + "." + parts[2];
        assertThat(tokens.authenticate(forged)).isEmpty();
        assertThat(tokens.review("not-a-jwt", List.of()).error()).isEqualTo("the token is not a JWT");
    }

    @Test
    void aTokenBoundToAPodDiesWithThePod() {
        AuthFixtures.create(store, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: worker
                  namespace: default
                spec:
                  serviceAccountName: robot
                  containers:
                  - name: main
                    image: busybox
                """);
        ServiceAccountTokens.Issued issued = tokens.issue("default", "robot", List.of(), 0,
                new ServiceAccountTokens.BoundObject("Pod", "worker", null));
        assertThat(tokens.authenticate(issued.token()).orElseThrow().extra())
                .containsEntry("authentication.kubernetes.io/pod-name", List.of("worker"));
        AuthFixtures.delete(store, "pods", "default", "worker");
        assertThat(tokens.review(issued.token(), List.of()).error()).contains("Pod worker the token is bound to no longer exists");
    }

    @Test
    void badRequestsAreRefusedAsKubeApiserverDoes() {
        assertThatThrownBy(() -> tokens.issue("default", "robot", List.of(), 60, null))
                .isInstanceOf(KubeApiException.InvalidException.class)
                .hasMessageContaining("spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes");
        assertThatThrownBy(() -> tokens.issue("default", "ghost", List.of(), 0, null))
                .isInstanceOf(KubeApiException.NotFoundException.class)
                .hasMessage("serviceaccounts \"ghost\" not found");
        assertThatThrownBy(() -> tokens.issue("default", "robot", List.of(), 0,
                new ServiceAccountTokens.BoundObject("ConfigMap", "x", null)))
                .isInstanceOf(KubeApiException.InvalidException.class)
                .hasMessageContaining("spec.boundObjectRef.kind: Unsupported value: \"ConfigMap\"");
    }
}
