package io.kardia.store;

import static io.kardia.store.ServiceAllocationTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** pods/eviction: a PodDisruptionBudget stops an eviction that would leave too few healthy pods, as kube-apiserver. */
class PodEvictionTest {
    private final ReferenceStore store = ReferenceStore.inMemory();

    @AfterEach
    void close() {
        store.close();
    }

    private ResourceType<?> type(String groupResource) {
        return store.types().byGroupResource(groupResource).orElseThrow();
    }

    private void pod(String name, String phase, boolean ready) {
        store.create(type("pods"), "default", json("{'metadata':{'name':'" + name + "','labels':{'app':'web'},"
                + "'ownerReferences':[{'apiVersion':'apps/v1','kind':'ReplicaSet','name':'web','uid':'u1','controller':true}]},"
                + "'spec':{'nodeName':'n1','containers':[{'name':'c','image':'nginx'}]}}"), WriteOptions.DEFAULT);
        ObjectNode p = store.get(type("pods"), "default", name, null).json();
        p.set("status", json("{'phase':'" + phase + "','conditions':[{'type':'Ready','status':'" + (ready ? "True" : "False") + "'}]}"));
        store.updateStatus(type("pods"), "default", name, p, WriteOptions.DEFAULT);
    }

    private void evict(String name) {
        store.evict("default", name, json("{'apiVersion':'policy/v1','kind':'Eviction','metadata':{'name':'" + name + "'}}"),
                DeleteOptions.DEFAULT.withGracePeriodSeconds(0L));
    }

    private boolean exists(String name) {
        return store.types().byGroupResource("pods").map(t -> {
            try {
                store.get(t, "default", name, null);
                return true;
            } catch (KubeApiException.NotFoundException e) {
                return false;
            }
        }).orElseThrow();
    }

    @Test
    void theBudgetCountsTheControllersScaleAndAnswers429OnceSpent() {
        store.create(type("replicasets.apps"), "default", json("{'metadata':{'name':'web'},'spec':{'replicas':3,"
                + "'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':{'labels':{'app':'web'}},"
                + "'spec':{'containers':[{'name':'c','image':'nginx'}]}}}}"), WriteOptions.DEFAULT);
        store.create(type("poddisruptionbudgets.policy"), "default",
                json("{'metadata':{'name':'web'},'spec':{'maxUnavailable':1,'selector':{'matchLabels':{'app':'web'}}}}"), WriteOptions.DEFAULT);
        pod("a", "Running", true);
        pod("b", "Running", true);
        pod("c", "Running", true);

        evict("a");
        assertThat(exists("a")).isFalse();
        assertThatThrownBy(() -> evict("b"))
                .isInstanceOfSatisfying(KubeApiException.TooManyRequestsException.class, e -> {
                    Status s = e.status();
                    assertThat(s.code()).isEqualTo(429);
                    assertThat(s.message()).isEqualTo("Cannot evict pod as it would violate the pod's disruption budget.");
                    assertThat(s.details().causes()).singleElement().satisfies(c -> {
                        assertThat(c.reason()).isEqualTo("DisruptionBudget");
                        assertThat(c.message()).isEqualTo("The disruption budget web needs 2 healthy pods and has 2 currently");
                    });
                });
        assertThat(exists("b")).isTrue();
    }

    @Test
    void podsNotRunningAndPodsWithoutABudgetAreEvictedFreely() {
        store.create(type("poddisruptionbudgets.policy"), "default",
                json("{'metadata':{'name':'all'},'spec':{'minAvailable':'100%','selector':{'matchLabels':{'app':'web'}}}}"), WriteOptions.DEFAULT);
        pod("pending", "Pending", false);
        evict("pending");
        assertThat(exists("pending")).isFalse();

        store.create(type("pods"), "default", json("{'metadata':{'name':'other'},'spec':{'containers':[{'name':'c','image':'x'}]}}"),
                WriteOptions.DEFAULT);
        evict("other");
        assertThat(exists("other")).isFalse();
        assertThatThrownBy(() -> store.evict("default", "missing", json("{}"), null))
                .isInstanceOf(KubeApiException.NotFoundException.class);
        assertThatThrownBy(() -> store.evict("default", "x", json("{'metadata':{'name':'y'}}"), null))
                .isInstanceOf(KubeApiException.BadRequestException.class)
                .hasMessageContaining("name in URL does not match name in Eviction object");
    }
}
