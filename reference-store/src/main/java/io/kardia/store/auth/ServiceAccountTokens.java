package io.kardia.store.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.Status;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoredObject;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * ServiceAccount tokens as kube-apiserver makes them for the TokenRequest API: RS256-signed JWTs
 * whose claims name the issuer, the audiences, the expiry and the ServiceAccount (and optionally
 * the Pod, Secret or Node they are bound to) with its uid. Verification checks signature, issuer,
 * audience and time, then that the ServiceAccount (and bound object) still exists with that uid:
 * deleting the ServiceAccount, or re-creating it under the same name, invalidates its tokens.
 */
public final class ServiceAccountTokens implements TokenAuthenticator {
    /** kube-apiserver's usual issuer (and therefore default audience) on kubeadm clusters. */
    public static final String DEFAULT_ISSUER = "https://kubernetes.default.svc.cluster.local";
    public static final long DEFAULT_EXPIRATION_SECONDS = 3600;
    static final long MIN_EXPIRATION_SECONDS = 600;
    static final long MAX_EXPIRATION_SECONDS = 1L << 32;
    private static final String KUBE_CLAIM = "kubernetes.io";

    private final ReferenceStore store;
    private final SigningKey key;
    private final String issuer;
    private final List<String> apiAudiences;
    private final Clock clock;

    public ServiceAccountTokens(ReferenceStore store, SigningKey key, String issuer, List<String> apiAudiences, Clock clock) {
        this.store = store;
        this.key = key;
        this.issuer = issuer;
        this.apiAudiences = apiAudiences.isEmpty() ? List.of(issuer) : List.copyOf(apiAudiences);
        this.clock = clock;
    }

    public String issuer() {
        return issuer;
    }

    /** The audiences a token must name to authenticate against this API server. */
    public List<String> apiAudiences() {
        return apiAudiences;
    }

    /** An object a token is bound to: it is valid only while that object exists with that uid. */
    public record BoundObject(String kind, String name, String uid) {
    }

    /** What was issued: the token and the instant it expires; the spec as defaulted. */
    public record Issued(String token, Instant expiration, List<String> audiences, long expirationSeconds, BoundObject bound) {
    }

    /**
     * Issues a token for ServiceAccount {@code namespace/name}.
     *
     * @param audiences         empty for the API server's own audiences
     * @param expirationSeconds 0 for the default hour; else at least 600
     * @param bound             the object to bind the token to, or null
     * @throws KubeApiException NotFound when the ServiceAccount (or bound object) does not exist, Invalid for a bad spec
     */
    public Issued issue(String namespace, String name, List<String> audiences, long expirationSeconds, BoundObject bound) {
        long seconds = expirationSeconds == 0 ? DEFAULT_EXPIRATION_SECONDS : expirationSeconds;
        if (seconds < MIN_EXPIRATION_SECONDS) {
            throw invalid(name, "spec.expirationSeconds", "Invalid value: " + seconds + ": may not specify a duration less than 10 minutes");
        }
        if (seconds > MAX_EXPIRATION_SECONDS) {
            throw invalid(name, "spec.expirationSeconds", "Invalid value: " + seconds + ": may not specify a duration larger than 2^32 seconds");
        }
        JsonNode sa = store.get(serviceAccounts(), namespace, name, null).json();
        String saUid = sa.path("metadata").path("uid").asText();
        BoundObject resolvedBound = bound == null ? null : resolveBound(namespace, name, bound);
        List<String> aud = audiences.isEmpty() ? apiAudiences : List.copyOf(audiences);
        Instant now = clock.instant();
        Instant exp = now.plusSeconds(seconds);
        Map<String, Object> kube = new LinkedHashMap<>();
        kube.put("namespace", namespace);
        kube.put("serviceaccount", Map.of("name", name, "uid", saUid));
        if (resolvedBound != null) {
            kube.put(resolvedBound.kind().toLowerCase(java.util.Locale.ROOT),
                    Map.of("name", resolvedBound.name(), "uid", resolvedBound.uid()));
        }
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(UserInfo.serviceAccountUserName(namespace, name))
                .audience(aud)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(exp))
                .jwtID(UUID.randomUUID().toString())
                .claim(KUBE_CLAIM, kube)
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.keyId()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key.privateKey()));
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign a ServiceAccount token", e);
        }
        return new Issued(jwt.serialize(), exp, aud, seconds, resolvedBound);
    }

    @Override
    public Optional<UserInfo> authenticate(String token) {
        return Optional.ofNullable(review(token, apiAudiences).user());
    }

    /** The outcome of checking a token: the user, or why it is not valid (never quoting the token). */
    public record Review(UserInfo user, List<String> audiences, String error) {
    }

    /** Checks {@code token} for any of {@code audiences} (empty: the API server's audiences). */
    public Review review(String token, List<String> audiences) {
        List<String> wanted = audiences.isEmpty() ? apiAudiences : audiences;
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return failed("the token is not a JWT");
        }
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            return failed("the token is not signed with RS256");
        }
        try {
            if (!jwt.verify(new RSASSAVerifier(key.publicKey()))) {
                return failed("the token's signature is invalid");
            }
        } catch (JOSEException e) {
            return failed("the token's signature is invalid");
        }
        if (!issuer.equals(claims.getIssuer())) {
            return failed("the token's issuer is not " + issuer);
        }
        List<String> matched = new ArrayList<>(claims.getAudience());
        matched.retainAll(wanted);
        if (matched.isEmpty()) {
            return failed("the token's audiences " + claims.getAudience() + " include none of " + wanted);
        }
        Instant now = clock.instant();
        if (claims.getExpirationTime() == null || !now.isBefore(claims.getExpirationTime().toInstant())) {
            return failed("the token has expired");
        }
        if (claims.getNotBeforeTime() != null && now.plusSeconds(60).isBefore(claims.getNotBeforeTime().toInstant())) {
            return failed("the token is not valid yet");
        }
        try {
            return new Review(userOf(claims), matched, null);
        } catch (ClassCastException | NullPointerException | ParseException e) {
            return failed("the token's kubernetes.io claims are malformed");
        } catch (InvalidatedException e) {
            return failed(e.getMessage());
        }
    }

    private static Review failed(String why) {
        return new Review(null, List.of(), why);
    }

    /** The user a verified token names, if its ServiceAccount (and bound object) still stand. */
    private UserInfo userOf(JWTClaimsSet claims) throws ParseException {
        Map<String, Object> kube = claims.getJSONObjectClaim(KUBE_CLAIM);
        String namespace = (String) kube.get("namespace");
        @SuppressWarnings("unchecked")
        Map<String, Object> sa = (Map<String, Object>) kube.get("serviceaccount");
        String name = (String) sa.get("name");
        String uid = (String) sa.get("uid");
        StoredObject current = find(serviceAccounts(), namespace, name)
                .orElseThrow(() -> new InvalidatedException("the ServiceAccount " + namespace + "/" + name + " has been deleted"));
        JsonNode meta = current.json().path("metadata");
        if (!uid.equals(meta.path("uid").asText())) {
            throw new InvalidatedException("the ServiceAccount " + namespace + "/" + name
                    + " was deleted and re-created since the token was issued (uid " + meta.path("uid").asText()
                    + " does not match the token's " + uid + ")");
        }
        if (meta.hasNonNull("deletionTimestamp")) {
            throw new InvalidatedException("the ServiceAccount " + namespace + "/" + name + " is being deleted");
        }
        Map<String, List<String>> extra = new LinkedHashMap<>();
        extra.put("authentication.kubernetes.io/credential-id", List.of("JTI=" + claims.getJWTID()));
        for (String kind : List.of("Pod", "Secret", "Node")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> ref = (Map<String, Object>) kube.get(kind.toLowerCase(java.util.Locale.ROOT));
            if (ref != null) {
                String boundName = (String) ref.get("name");
                String boundUid = (String) ref.get("uid");
                Optional<StoredObject> o = find(boundType(kind), kind.equals("Node") ? null : namespace, boundName);
                if (o.isEmpty() || !boundUid.equals(o.get().json().path("metadata").path("uid").asText())) {
                    throw new InvalidatedException("the " + kind + " " + boundName + " the token is bound to no longer exists");
                }
                String k = kind.toLowerCase(java.util.Locale.ROOT);
                extra.put("authentication.kubernetes.io/" + k + "-name", List.of(boundName));
                extra.put("authentication.kubernetes.io/" + k + "-uid", List.of(boundUid));
            }
        }
        return new UserInfo(UserInfo.serviceAccountUserName(namespace, name), uid,
                List.of(UserInfo.SERVICE_ACCOUNTS, UserInfo.SERVICE_ACCOUNTS + ":" + namespace, UserInfo.AUTHENTICATED), extra);
    }

    private BoundObject resolveBound(String namespace, String saName, BoundObject bound) {
        if (bound.name() == null || bound.name().isEmpty()) {
            throw invalid(saName, "spec.boundObjectRef.name", "Required value");
        }
        if (!List.of("Pod", "Secret", "Node").contains(bound.kind())) {
            throw invalid(saName, "spec.boundObjectRef.kind", "Unsupported value: \"" + bound.kind()
                    + "\": supported values: \"Pod\", \"Node\", \"Secret\"");
        }
        StoredObject o = store.get(boundType(bound.kind()), bound.kind().equals("Node") ? null : namespace, bound.name(), null);
        String uid = o.json().path("metadata").path("uid").asText();
        if (bound.uid() != null && !bound.uid().isEmpty() && !bound.uid().equals(uid)) {
            throw KubeApiException.of(Status.conflict(new Status.ResourceName("", bound.kind().toLowerCase(java.util.Locale.ROOT) + "s",
                    bound.name()), "the UID in the bound object reference (" + bound.uid() + ") does not match the UID in "
                    + "record. The object might have been deleted and then recreated"));
        }
        return new BoundObject(bound.kind(), bound.name(), uid);
    }

    private Optional<StoredObject> find(ResourceType<?> type, String namespace, String name) {
        try {
            return Optional.of(store.get(type, namespace, name, null));
        } catch (KubeApiException.NotFoundException e) {
            return Optional.empty();
        }
    }

    private ResourceType<?> serviceAccounts() {
        return core("serviceaccounts");
    }

    private ResourceType<?> boundType(String kind) {
        return core(kind.toLowerCase(java.util.Locale.ROOT) + "s");
    }

    private ResourceType<?> core(String plural) {
        return store.types().find("", "v1", plural).orElseThrow(() -> new IllegalStateException(
                "the store does not serve " + plural + ", which ServiceAccount tokens need"));
    }

    private static KubeApiException invalid(String name, String field, String message) {
        return KubeApiException.of(Status.invalid(new Status.ResourceName("authentication.k8s.io", "tokenrequests", name),
                "TokenRequest.authentication.k8s.io", List.of(Status.Cause.invalid(field, message))));
    }

    /** The token was valid once; what it names is gone. */
    private static final class InvalidatedException extends RuntimeException {
        InvalidatedException(String message) {
            super(message, null, false, false);
        }
    }
}
