package io.kardia.store;

import static io.kardia.store.TestKinds.CONFIGMAPS;
import static io.kardia.store.TestKinds.PODS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import io.kardia.store.journal.FileJournal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Whatever the store acknowledges, its own recovery and its clients' decoder can read back. */
@Timeout(120)
class WriteLimitsTest {
    @TempDir
    Path dir;

    private static StoreOptions quiet() {
        return StoreOptions.defaults().withCompactionInterval(Duration.ZERO).withBookmarkInterval(Duration.ZERO);
    }

    private ReferenceStore open() {
        return ReferenceStore.open(quiet(), FileJournal.open(dir));
    }

    /** {"x":{"x":...}} with {@code levels} objects: nested {@code levels} deep. */
    private static String nested(int levels) {
        return "{\"x\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1);
    }

    /** A ConfigMap whose tree is {@code depth} levels deep (the ConfigMap itself is level 1). */
    private static ObjectNode deepConfigMap(String name, int depth) {
        String json = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},\"x\":"
                + nested(depth - 1) + "}";
        return (ObjectNode) Json.tree(json.getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode configMap(String name) {
        return (ObjectNode) Json.tree(("{\"metadata\":{\"name\":\"" + name + "\"}}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aJsonPatchThatNestsPastTheLimitIsRefusedAndTheStoreStillRestarts() {
        try (ReferenceStore store = open()) {
            store.create(CONFIGMAPS, "default", deepConfigMap("deep", 90), WriteOptions.DEFAULT);
            String pointer = "/x" + "/x".repeat(87);
            byte[] patch = ("[{\"op\":\"add\",\"path\":\"" + pointer + "/y\",\"value\":" + nested(90) + "}]")
                    .getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> store.patch(CONFIGMAPS, "default", "deep", PatchType.JSON, patch, WriteOptions.DEFAULT))
                    .isInstanceOfSatisfying(KubeApiException.class, e -> {
                        assertThat(e.code()).isIn(400, 422);
                        assertThat(e.getMessage()).contains("deeper than the limit of 96");
                    });
        }
        try (ReferenceStore store = open()) {
            assertThat(store.get(CONFIGMAPS, "default", "deep", null).tree().at("/x" + "/x".repeat(87)).isObject()).isTrue();
        }
    }

    @Test
    void everyWritePathRefusesAnObjectNestedPastTheLimit() {
        try (ReferenceStore store = open()) {
            assertThatThrownBy(() -> store.create(CONFIGMAPS, "default", deepConfigMap("c", 97), WriteOptions.DEFAULT))
                    .isInstanceOf(KubeApiException.InvalidException.class);
            store.create(CONFIGMAPS, "default", deepConfigMap("edge", 96), WriteOptions.DEFAULT);
            store.create(CONFIGMAPS, "default", configMap("u"), WriteOptions.DEFAULT);
            assertThatThrownBy(() -> store.update(CONFIGMAPS, "default", "u", deepConfigMap("u", 97), WriteOptions.DEFAULT))
                    .isInstanceOf(KubeApiException.InvalidException.class);
            byte[] merge = ("{\"x\":" + nested(96) + "}").getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> store.patch(CONFIGMAPS, "default", "u", PatchType.MERGE, merge, WriteOptions.DEFAULT))
                    .isInstanceOf(KubeApiException.InvalidException.class);
            assertThatThrownBy(() -> store.patch(CONFIGMAPS, "default", "u", PatchType.STRATEGIC, merge, WriteOptions.DEFAULT))
                    .isInstanceOf(KubeApiException.InvalidException.class);
            store.create(PODS, "default", Json.toTree(TestKinds.pod("default", "p", null)), WriteOptions.DEFAULT);
            byte[] status = ("{\"status\":{\"x\":" + nested(95) + "}}").getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> store.patchStatus(PODS, "default", "p", PatchType.MERGE, status, WriteOptions.DEFAULT))
                    .isInstanceOf(KubeApiException.InvalidException.class);
            ObjectNode pod = store.get(PODS, "default", "p", null).json();
            pod.set("status", Json.tree(("{\"x\":" + nested(95) + "}").getBytes(StandardCharsets.UTF_8)));
            assertThatThrownBy(() -> store.updateStatus(PODS, "default", "p", pod, WriteOptions.DEFAULT))
                    .isInstanceOf(KubeApiException.InvalidException.class);
        }
        try (ReferenceStore store = open()) {
            ObjectNode edge = store.get(CONFIGMAPS, "default", "edge", null).json();
            // The deepest accepted object still decodes inside a list envelope.
            ObjectNode list = Json.mapper().createObjectNode();
            list.putArray("items").add(edge);
            assertThat(Json.tree(Json.toBytes(list)).at("/items/0/metadata/name").asText()).isEqualTo("edge");
        }
    }

    @Test
    void whatTheDecoderRefusesIsRefusedOnWriteSoRecoveryNeverMeetsIt() {
        try (ReferenceStore store = open()) {
            ObjectNode longName = configMap("long-name");
            longName.putObject("x").put("k".repeat(60_000), "v");
            assertThatThrownBy(() -> store.create(CONFIGMAPS, "default", longName, WriteOptions.DEFAULT))
                    .isInstanceOf(KubeApiException.InvalidException.class).hasMessageContaining("field name");
            ObjectNode wide = configMap("wide");
            ObjectNode x = wide.putObject("x");
            for (int i = 0; i <= WriteLimits.MAX_FIELDS_PER_OBJECT; i++) {
                x.put("f" + i, i);
            }
            assertThatThrownBy(() -> store.create(CONFIGMAPS, "default", wide, WriteOptions.DEFAULT))
                    .isInstanceOf(KubeApiException.InvalidException.class).hasMessageContaining("x: Too many");
            ObjectNode nan = configMap("nan");
            nan.put("x", Double.NaN);
            assertThatThrownBy(() -> store.create(CONFIGMAPS, "default", nan, WriteOptions.DEFAULT))
                    .isInstanceOf(KubeApiException.InvalidException.class).hasMessageContaining("not a JSON number");
        }
        try (ReferenceStore store = open()) {
            assertThat(store.currentRevision()).isPositive();
        }
    }

    @Test
    void theWriteLimitsLieInsideTheDecodersLimits() {
        StreamReadConstraints decoder = Json.mapper().getFactory().streamReadConstraints();
        WriteLimits limits = WriteLimits.defaults();
        assertThat(limits.maxDepth() + WriteLimits.ENVELOPE_HEADROOM).isLessThanOrEqualTo(decoder.getMaxNestingDepth());
        assertThat(limits.maxDepth()).isEqualTo(96);
        assertThat(limits.maxStringLength()).isLessThanOrEqualTo(decoder.getMaxStringLength());
        assertThat(limits.maxFieldNameLength()).isLessThanOrEqualTo(decoder.getMaxNameLength());
        assertThat(limits.maxNumberLength()).isLessThanOrEqualTo(decoder.getMaxNumberLength());
    }

    /** An object stored under older, looser limits can still be deleted: deleting adds nothing. */
    @Test
    void anObjectPastTheLimitsFromAnOlderVersionCanStillBeDeleted() {
        ControllableJournal journal = new ControllableJournal();
        ObjectNode legacy = deepConfigMap("legacy", 98);
        ((ObjectNode) legacy.get("metadata")).put("namespace", "default").put("uid", "u-1").put("resourceVersion", "1");
        journal.records.add(io.kardia.store.journal.JournalRecord.put(1, "configmaps", "default/legacy", Json.toBytes(legacy)));
        try (ReferenceStore store = ReferenceStore.open(quiet(), journal)) {
            assertThat(store.get(CONFIGMAPS, "default", "legacy", null).name()).isEqualTo("legacy");
            store.delete(CONFIGMAPS, "default", "legacy", io.kardia.core.client.DeleteOptions.DEFAULT);
            assertThatThrownBy(() -> store.get(CONFIGMAPS, "default", "legacy", null))
                    .isInstanceOf(KubeApiException.NotFoundException.class);
        }
    }
}
