package io.kardia.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import io.kardia.core.model.ResourceType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Services as kube-apiserver defaults, validates and addresses them: cluster IPs and node ports from configured ranges. */
class ServiceAllocationTest {
    private ReferenceStore store = ReferenceStore.inMemory();

    @AfterEach
    void close() {
        store.close();
    }

    private ResourceType<?> services() {
        return store.types().byGroupResource("services").orElseThrow();
    }

    static ObjectNode json(String s) {
        return (ObjectNode) Json.tree(s.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private ObjectNode create(String body) {
        return store.create(services(), "default", json(body), WriteOptions.DEFAULT).json();
    }

    private static ObjectNode service(String name, String specFields) {
        return json("{'metadata':{'name':'" + name + "'},'spec':{" + specFields + "}}");
    }

    @Test
    void aPlainServiceGetsKubeDefaultsAndAClusterIpFromTheDefaultRange() {
        ObjectNode s = create("{'metadata':{'name':'web'},'spec':{'selector':{'app':'web'},'ports':[{'port':80}]}}");

        ObjectNode spec = (ObjectNode) s.path("spec");
        assertThat(spec.path("type").asText()).isEqualTo("ClusterIP");
        assertThat(spec.path("sessionAffinity").asText()).isEqualTo("None");
        assertThat(spec.path("internalTrafficPolicy").asText()).isEqualTo("Cluster");
        assertThat(spec.path("ipFamilyPolicy").asText()).isEqualTo("SingleStack");
        assertThat(spec.path("ipFamilies").toString()).isEqualTo("[\"IPv4\"]");
        assertThat(spec.at("/ports/0/protocol").asText()).isEqualTo("TCP");
        assertThat(spec.at("/ports/0/targetPort").asInt()).isEqualTo(80);
        String ip = spec.path("clusterIP").asText();
        assertThat(new ServiceNetwork("10.96.0.0/12", 30000, 32767).contains(ip)).as(ip).isTrue();
        assertThat(spec.path("clusterIPs").toString()).isEqualTo("[\"" + ip + "\"]");
        assertThat(spec.has("externalTrafficPolicy")).isFalse();
        assertThat(s.at("/status/loadBalancer").isObject()).isTrue();
    }

    @Test
    void aRequestedClusterIpMustBeFreeAndInTheConfiguredRange() {
        store.close();
        store = ReferenceStore.inMemory(StoreOptions.defaults().withServiceNetwork(new ServiceNetwork("10.0.0.0/24", 31000, 31010)));
        assertThat(create("{'metadata':{'name':'a'},'spec':{'clusterIP':'10.0.0.10','ports':[{'port':53,'protocol':'UDP'}]}}")
                .at("/spec/clusterIP").asText()).isEqualTo("10.0.0.10");

        assertThatThrownBy(() -> store.create(services(), "default",
                service("b", "'clusterIP':'10.0.0.10','ports':[{'port':53}]"), WriteOptions.DEFAULT))
                .isInstanceOf(KubeApiException.InvalidException.class)
                .hasMessageContaining("Service \"b\" is invalid: spec.clusterIPs: Invalid value: [\"10.0.0.10\"]: "
                        + "failed to allocate IP 10.0.0.10: provided IP is already allocated");
        assertThatThrownBy(() -> store.create(services(), "default",
                service("c", "'clusterIP':'10.96.0.10','ports':[{'port':53}]"), WriteOptions.DEFAULT))
                .isInstanceOf(KubeApiException.InvalidException.class)
                .hasMessageContaining("failed to allocate IP 10.96.0.10: the provided IP (10.96.0.10) is not in the valid range. "
                        + "The range of valid IPs is 10.0.0.0/24");
        ObjectNode dynamic = create("{'metadata':{'name':'d'},'spec':{'ports':[{'port':80}]}}");
        assertThat(dynamic.at("/spec/clusterIP").asText()).startsWith("10.0.0.");
        assertThatThrownBy(() -> store.get(services(), "default", "b", null)).isInstanceOf(KubeApiException.NotFoundException.class);
    }

    @Test
    void theClusterIpMayNotChangeOnceSetAndAnUpdateWithoutItKeepsIt() {
        ObjectNode created = create("{'metadata':{'name':'web'},'spec':{'ports':[{'port':80}]}}");
        String ip = created.at("/spec/clusterIP").asText();

        ObjectNode withoutIp = service("web", "'ports':[{'port':8080}]");
        ObjectNode updated = store.update(services(), "default", "web", withoutIp, WriteOptions.DEFAULT).json();
        assertThat(updated.at("/spec/clusterIP").asText()).isEqualTo(ip);
        assertThat(updated.at("/spec/ports/0/port").asInt()).isEqualTo(8080);

        assertThatThrownBy(() -> store.patch(services(), "default", "web", PatchType.MERGE,
                "{\"spec\":{\"clusterIP\":\"None\",\"clusterIPs\":[\"None\"]}}".getBytes(StandardCharsets.UTF_8), WriteOptions.DEFAULT))
                .isInstanceOf(KubeApiException.InvalidException.class)
                .hasMessageContaining("spec.clusterIPs[0]: Invalid value: [\"None\"]: may not change once set");
        assertThat(store.get(services(), "default", "web", null).json().at("/spec/clusterIP").asText()).isEqualTo(ip);
    }

    @Test
    void headlessAndExternalNameServicesGetNoAddress() {
        ObjectNode headless = create("{'metadata':{'name':'db'},'spec':{'clusterIP':'None','selector':{'app':'db'}}}");
        assertThat(headless.at("/spec/clusterIPs").toString()).isEqualTo("[\"None\"]");

        ObjectNode external = create("{'metadata':{'name':'ext'},'spec':{'type':'ExternalName','externalName':'db.example.com'}}");
        assertThat(external.at("/spec/clusterIP").isMissingNode()).isTrue();
        assertThat(external.at("/spec/internalTrafficPolicy").isMissingNode()).isTrue();
        assertThatThrownBy(() -> store.create(services(), "default", service("noname", "'type':'ExternalName'"), WriteOptions.DEFAULT))
                .hasMessageContaining("spec.externalName: Required value");
    }

    @Test
    void nodePortsAreAllocatedInRangeAndDuplicatesRefused() {
        ObjectNode np = create("{'metadata':{'name':'np'},'spec':{'type':'NodePort','ports':[{'name':'a','port':80},{'name':'b','port':81,'nodePort':30080}]}}");
        int allocated = np.at("/spec/ports/0/nodePort").asInt();
        assertThat(allocated).isBetween(30000, 32767).isNotEqualTo(30080);
        assertThat(np.at("/spec/ports/1/nodePort").asInt()).isEqualTo(30080);
        assertThat(np.at("/spec/externalTrafficPolicy").asText()).isEqualTo("Cluster");

        assertThatThrownBy(() -> store.create(services(), "default", service("dup", "'type':'NodePort','ports':[{'port':80,'nodePort':30080}]"),
                WriteOptions.DEFAULT))
                .hasMessageContaining("spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated");
        assertThatThrownBy(() -> store.create(services(), "default", service("low", "'type':'NodePort','ports':[{'port':80,'nodePort':80}]"),
                WriteOptions.DEFAULT))
                .hasMessageContaining("spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. "
                        + "The range of valid ports is 30000-32767");
        assertThatThrownBy(() -> store.create(services(), "default", service("cip", "'ports':[{'port':80,'nodePort':30099}]"),
                WriteOptions.DEFAULT))
                .hasMessageContaining("spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'");

        // An update that leaves the node ports out keeps them; deleting the service frees them.
        ObjectNode kept = store.update(services(), "default", "np",
                service("np", "'type':'NodePort','ports':[{'name':'a','port':80},{'name':'b','port':81}]"), WriteOptions.DEFAULT).json();
        assertThat(kept.at("/spec/ports/0/nodePort").asInt()).isEqualTo(allocated);
        assertThat(kept.at("/spec/ports/1/nodePort").asInt()).isEqualTo(30080);
        store.delete(services(), "default", "np", null);
        assertThat(create("{'metadata':{'name':'again'},'spec':{'type':'NodePort','ports':[{'port':80,'nodePort':30080}]}}")
                .at("/spec/ports/0/nodePort").asInt()).isEqualTo(30080);
    }

    @Test
    void badPortsAndTypesAreRefusedInKubeApiserversWords() {
        assertThatThrownBy(() -> store.create(services(), "default", service("noports", "'selector':{'app':'x'}"), WriteOptions.DEFAULT))
                .hasMessageContaining("spec.ports: Required value");
        assertThatThrownBy(() -> store.create(services(), "default",
                service("two", "'ports':[{'port':80},{'port':81}]"), WriteOptions.DEFAULT))
                .hasMessageContaining("spec.ports[0].name: Required value");
        assertThatThrownBy(() -> store.create(services(), "default", service("big", "'ports':[{'port':70000}]"), WriteOptions.DEFAULT))
                .hasMessageContaining("spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive");
        assertThatThrownBy(() -> store.create(services(), "default", service("t", "'type':'Magic','ports':[{'port':80}]"), WriteOptions.DEFAULT))
                .hasMessageContaining("spec.type: Unsupported value: \"Magic\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"");
        assertThatThrownBy(() -> store.create(services(), "default", service("Upper", "'ports':[{'port':80}]"), WriteOptions.DEFAULT))
                .hasMessageContaining("a DNS-1035 label must consist of lower case alphanumeric characters");
    }

    @Test
    void concurrentCreatesNeverShareAnAddress() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ObjectNode>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String name = "s" + i;
                results.add(pool.submit((Callable<ObjectNode>) () -> create(
                        "{'metadata':{'name':'" + name + "'},'spec':{'type':'NodePort','ports':[{'port':80}]}}")));
            }
            Set<String> ips = new HashSet<>();
            Set<Integer> ports = new HashSet<>();
            for (Future<ObjectNode> f : results) {
                ObjectNode s = f.get();
                ips.add(s.at("/spec/clusterIP").asText());
                ports.add(s.at("/spec/ports/0/nodePort").asInt());
            }
            assertThat(ips).hasSize(64);
            assertThat(ports).hasSize(64);
        } finally {
            pool.shutdownNow();
        }
    }
}
