package io.kardia.store.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.client.KubeClient;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import io.kardia.store.journal.FileJournal;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policies and bindings recovered from the journal are enforced at once after a restart. */
class PoliciesAfterRestartTest {
    @TempDir
    Path dir;

    private ReferenceStore open() {
        return ReferenceStore.open(StoreOptions.defaults().withCompactionInterval(Duration.ZERO).withBookmarkInterval(Duration.ZERO),
                FileJournal.open(dir));
    }

    @Test
    void aRecoveredPolicyStillDenies() {
        try (ReferenceStore store = open()) {
            KubeClient c = store.client();
            c.resources(ValidatingPolicyContract.POLICIES).create(ValidatingPolicyContract.yaml(
                    "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\n" + ValidatingPolicyContract.NO_FORBIDDEN_KEY));
            c.resources(ValidatingPolicyContract.BINDINGS).create(ValidatingPolicyContract.yaml("""
                    apiVersion: admissionregistration.k8s.io/v1
                    kind: ValidatingAdmissionPolicyBinding
                    metadata: {name: deny}
                    spec: {policyName: no-forbidden-key, validationActions: [Deny]}
                    """));
        }
        try (ReferenceStore store = open()) {
            KubeClient c = store.client();
            assertThat(ValidatingPolicyContract.denied(() -> c.resources(io.kardia.store.TestKinds.CONFIGMAPS)
                    .create(ValidatingPolicyContract.configMap("a", "{forbidden: x}"))).message())
                    .endsWith("ValidatingAdmissionPolicy 'no-forbidden-key' with binding 'deny' denied request: the key 'forbidden' is not allowed");
        }
    }

    @Test
    void aRecoveredMutatingPolicyStillMutates() {
        try (ReferenceStore store = open()) {
            KubeClient c = store.client();
            c.resources(MutatingPolicyContract.POLICIES).create(ValidatingPolicyContract.yaml(
                    "apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingAdmissionPolicy\n" + MutatingPolicyContract.configMapPolicy("label", """
                              mutations:
                              - patchType: ApplyConfiguration
                                applyConfiguration: {expression: 'Object{metadata: Object.metadata{labels: {"recovered": "yes"}}}'}
                            """)));
            c.resources(MutatingPolicyContract.BINDINGS).create(ValidatingPolicyContract.yaml("""
                    apiVersion: admissionregistration.k8s.io/v1
                    kind: MutatingAdmissionPolicyBinding
                    metadata: {name: label}
                    spec: {policyName: label}
                    """));
        }
        try (ReferenceStore store = open()) {
            KubeClient c = store.client();
            c.resources(io.kardia.store.TestKinds.CONFIGMAPS).create(ValidatingPolicyContract.configMap("a", "{k: v}"));
            assertThat(io.kardia.core.json.Json.toTree(c.resources(io.kardia.store.TestKinds.CONFIGMAPS).get("default", "a"))
                    .path("metadata").path("labels").path("recovered").asText()).isEqualTo("yes");
        }
    }
}
