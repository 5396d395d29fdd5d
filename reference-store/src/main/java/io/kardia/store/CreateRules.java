package io.kardia.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.Status;
import io.kardia.store.ReferenceStore.Resolved;
import io.kardia.store.admission.AdmissionRequest;
import io.kardia.store.validation.Validators;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * kube-apiserver's generic create rules, whatever the kind: system fields set by the server (uid,
 * creationTimestamp, generation), names from generateName, the namespace lifecycle admission check
 * (no new content in a missing or Terminating namespace, no custom objects of a terminating CRD),
 * then pruning, defaults, the kind's create preparation and validation. The store commits the draft.
 */
final class CreateRules {
    private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";

    private final ReferenceStore store;
    private final Validators validators;

    CreateRules(ReferenceStore store, Validators validators) {
        this.store = store;
        this.validators = validators;
    }

    /**
     * Creates {@code obj} in {@code ns}. A name from {@code generateName} that is taken already is
     * drawn again (a few times) before the conflict is reported, as kube-apiserver does.
     */
    StoredObject create(Resolved r, String ns, ObjectNode obj, boolean dryRun, Ownership who) {
        ObjectNode meta = RequestChecks.metadataOf(obj);
        RequestChecks.checkNoResourceVersion(meta);
        String name = meta.path("name").asText("");
        String generateName = meta.path("generateName").asText("");
        int attempts = name.isEmpty() && !generateName.isEmpty() ? 8 : 1;
        for (int attempt = 1; ; attempt++) {
            ObjectNode candidate = attempts == 1 ? obj : obj.deepCopy();
            if (attempts > 1) {
                RequestChecks.metadataOf(candidate).put("name", generatedName(generateName, store.random));
            }
            try {
                return createOne(r, ns, candidate, dryRun, who);
            } catch (KubeApiException.AlreadyExistsException e) {
                if (attempt >= attempts) {
                    throw e;
                }
            }
        }
    }

    private StoredObject createOne(Resolved r, String ns, ObjectNode obj, boolean dryRun, Ownership who) {
        String name = RequestChecks.metadataOf(obj).path("name").asText("");
        try (ServiceAllocator.Reservation reservation = store.serviceAllocator.reservation()) {
            Draft d = prepare(r, ns, obj, reservation, dryRun, who);
            return store.writeLoop(r, ns, name, dryRun, cur -> {
                if (cur != null) {
                    throw KubeApiException.of(Status.alreadyExists(r.type().named(name)));
                }
                return new ReferenceStore.Outcome.Put(d, StoreEvent.Type.ADDED);
            });
        }
    }

    /** The draft to store for {@code obj} (named, in namespace {@code ns}), or the error kube-apiserver gives. */
    Draft prepare(Resolved r, String ns, ObjectNode obj, ServiceAllocator.Reservation reservation, boolean dryRun,
                  Ownership who) {
        ObjectNode meta = RequestChecks.metadataOf(obj);
        String name = meta.path("name").asText("");
        meta.put("uid", newUid(store.random));
        meta.put("creationTimestamp", store.now());
        if (r.strategy().tracksGeneration()) {
            meta.put("generation", 1); // other kinds keep what the request sent, as kube-apiserver
        }
        meta.remove("deletionTimestamp");
        meta.remove("deletionGracePeriodSeconds");
        meta.remove("resourceVersion");
        // As kube-apiserver: the namespace lifecycle admission check comes before validation.
        if (r.type().namespaced()) {
            StoredObject nsObj = store.index.at("namespaces", ns, store.currentRevision());
            if (nsObj == null) {
                throw KubeApiException.of(Status.notFound(new Status.ResourceName("", "namespaces", ns)));
            }
            if (nsObj.tree().path("metadata").hasNonNull("deletionTimestamp")) {
                throw KubeApiException.of(Status.forbidden(r.type().named(name),
                        "unable to create new content in namespace " + ns + " because it is being terminated"));
            }
        }
        if (!store.types.isBuiltIn(r.resource())) {
            StoredObject crd = store.index.latest(TypeRegistry.CRDS, r.resource());
            if (crd != null && crd.tree().path("metadata").hasNonNull("deletionTimestamp")) {
                throw KubeApiException.of(Status.methodNotAllowed(
                        "create not allowed while custom resource definition is terminating"));
            }
        }
        validators.pruneAndDefault(r.resource(), obj);
        r.strategy().applyDefaults(obj);
        obj = MutatingAdmission.apply(store, validators, r,
                new AdmissionRequest(AdmissionRequest.Operation.CREATE, r.type(), "", ns, name, obj, null, dryRun));
        r.strategy().prepareForCreate(obj);
        if (r.resource().equals("services")) {
            // As kube-apiserver: addresses are allocated before the object is validated.
            ReferenceStore.throwIfInvalid(r, name, store.serviceAllocator.allocate(ns, name, obj, null, reservation));
        }
        ReferenceStore.throwIfInvalid(r, name, validators.validateCreate(r.resource(), r.validationVersion(), r.type().namespaced(), r.forValidation(obj)));
        if (who.tracked()) {
            store.managedFields.track(r, null, obj, who, store.now());
        }
        store.admission.validate(new AdmissionRequest(AdmissionRequest.Operation.CREATE, r.type(), "", ns, name, obj, null, dryRun));
        return store.draft(r, obj);
    }

    /** A name from {@code generateName}: the prefix and five random characters, as kube-apiserver makes them. */
    private static String generatedName(String generateName, java.util.random.RandomGenerator seeded) {
        java.util.random.RandomGenerator rnd = seeded != null ? seeded : ThreadLocalRandom.current();
        char[] c = new char[5];
        for (int i = 0; i < c.length; i++) {
            c[i] = NAME_CHARS.charAt(rnd.nextInt(NAME_CHARS.length()));
        }
        return generateName + new String(c);
    }

    /** A random (version 4) UUID for a new object. */
    private static String newUid(java.util.random.RandomGenerator seeded) {
        java.util.random.RandomGenerator rnd = seeded != null ? seeded : ThreadLocalRandom.current();
        long msb = (rnd.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (rnd.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
