package io.kardia.store.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Yaml;
import io.kardia.core.model.ResourceType;
import io.kardia.store.ReferenceStore;

/** Creating objects from YAML in a store, for the auth tests. */
final class AuthFixtures {
    private AuthFixtures() {
    }

    static String create(ReferenceStore store, String yaml) {
        String uid = null;
        for (var doc : Yaml.trees(yaml)) {
            ObjectNode o = (ObjectNode) doc;
            ResourceType<?> type = store.types().byKind(o.path("apiVersion").asText(), o.path("kind").asText()).orElseThrow();
            String ns = o.path("metadata").path("namespace").asText("");
            uid = store.create(type, ns.isEmpty() ? null : ns, o, WriteOptions.DEFAULT).json().path("metadata").path("uid").asText();
        }
        return uid;
    }

    static void delete(ReferenceStore store, String plural, String namespace, String name) {
        ResourceType<?> type = store.types().find(plural.contains(".") ? plural.substring(plural.indexOf('.') + 1) : "",
                "v1", plural.contains(".") ? plural.substring(0, plural.indexOf('.')) : plural).orElseThrow();
        store.delete(type, namespace, name, new DeleteOptions(null, null, null, 0L, false));
    }

    static String serviceAccount(ReferenceStore store, String namespace, String name) {
        return create(store, """
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: %s
                  namespace: %s
                """.formatted(name, namespace));
    }
}
