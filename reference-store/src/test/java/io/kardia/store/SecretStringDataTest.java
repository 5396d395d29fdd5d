package io.kardia.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import io.kardia.core.model.ResourceTypes;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Secret stringData is write-only input, merged into data as kube-apiserver does. */
class SecretStringDataTest {
    private static final io.kardia.core.model.ResourceType<?> SECRETS = ResourceTypes.byResource("", "secrets").orElseThrow();

    private static ObjectNode json(String s) {
        return (ObjectNode) Json.tree(s.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void stringDataIsMergedIntoDataAsBase64AndNotStored() {
        try (ReferenceStore store = ReferenceStore.inMemory()) {
            StoredObject created = store.create(SECRETS, "default",
                    json("{'metadata':{'name':'s'},'data':{'a':'YWFh','b':'YmJi'},'stringData':{'b':'new','c':'ç'}}"),
                    WriteOptions.DEFAULT);
            ObjectNode stored = store.get(SECRETS, "default", "s", null).json();
            assertThat(created.json()).isEqualTo(stored);
            assertThat(stored.has("stringData")).isFalse();
            assertThat(stored.path("type").asText()).isEqualTo("Opaque");
            assertThat(stored.path("data")).isEqualTo(json("{'a':'YWFh','b':'bmV3','c':'w6c='}"));

            store.patch(SECRETS, "default", "s", PatchType.MERGE, "{\"stringData\":{\"a\":\"x\"}}".getBytes(), WriteOptions.DEFAULT);
            ObjectNode patched = store.get(SECRETS, "default", "s", null).json();
            assertThat(patched.path("data").path("a").asText()).isEqualTo("eA==");
            assertThat(patched.has("stringData")).isFalse();
        }
    }
}
