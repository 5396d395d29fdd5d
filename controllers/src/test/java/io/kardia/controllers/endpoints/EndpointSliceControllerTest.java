package io.kardia.controllers.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.controllers.endpoints.ServiceBackends.Backend;
import io.kardia.core.model.Condition;
import io.kardia.core.model.Container;
import io.kardia.core.model.ContainerPort;
import io.kardia.core.model.Event;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.PodStatus;
import io.kardia.core.model.ResourceTypes;
import io.kardia.runtime.Manager;
import io.kardia.runtime.testkit.Eventually;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@KardiaTest
class EndpointSliceControllerTest {
    private static final String NS = "web";

    private static void start(TestEnvironment env) throws Exception {
        env.createNamespace(NS);
        env.startManager((Manager m) -> {
            EndpointSliceController.register(m);
            EndpointsController.register(m);
        });
    }

    private static GenericObject service(String name, Map<String, String> selector) {
        return GenericObject.of(ResourceTypes.SERVICE, ObjectMeta.of(NS, name))
                .withAt("spec.selector", selector)
                .withAt("spec.ports", List.of(Map.of("name", "http", "port", 80, "targetPort", "web")));
    }

    /** A pod as a kubelet reports it: an IP (or none) and Ready true or false. */
    private static Pod runningPod(TestEnvironment env, String name, String app, String ip, boolean ready) {
        Pod pod = env.resources(Pod.class).create(Pod.of(ObjectMeta.builder().namespace(NS).name(name).label("app", app)
                .finalizer("test/keep").build(), PodSpec.builder().nodeName("node-1")
                .container(Container.of("main", "nginx").withPorts(List.of(ContainerPort.of("web", 8080)))).build()));
        PodStatus status = new PodStatus(PodStatus.RUNNING, List.of(Condition.of("Ready", ready ? Condition.TRUE
                : Condition.FALSE, null, null, Instant.now())), null, null, null, "10.0.0.1", ip, Instant.now(),
                null, null, null);
        return env.resources(Pod.class).updateStatus(pod.withStatus(status));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> endpointsOf(GenericObject slice) {
        return slice.at("endpoints", List.class).orElse(List.of());
    }

    private static GenericObject awaitSlice(TestEnvironment env, String service, java.util.function.Predicate<GenericObject> p) {
        return Eventually.eventually("the EndpointSlice of " + service, () -> env.client()
                        .resources(EndpointSliceController.ENDPOINT_SLICE).list(NS).items().stream()
                        .filter(s -> service.equals(s.metadata().labels().get(ServiceBackends.SERVICE_NAME))).toList(),
                l -> l.size() == 1 && p.test(l.get(0))).get(0);
    }

    @Test
    void aServiceGetsAnEndpointSliceWithItsPodsIpsAndReadiness(TestEnvironment env) throws Exception {
        start(env);
        runningPod(env, "a", "shop", "10.244.0.5", true);
        runningPod(env, "b", "shop", "10.244.0.6", false);
        runningPod(env, "no-ip", "shop", null, true);
        runningPod(env, "other", "blog", "10.244.0.7", true);
        GenericObject svc = env.client().resources(ResourceTypes.SERVICE).create(service("shop", Map.of("app", "shop")));

        GenericObject slice = awaitSlice(env, "shop", s -> endpointsOf(s).size() == 2);
        assertThat(slice.metadata().labels()).containsEntry(ServiceBackends.MANAGED_BY, "endpointslice-controller.k8s.io");
        assertThat(slice.metadata().controllerRef()).hasValueSatisfying(r -> assertThat(r.uid()).isEqualTo(svc.metadata().uid()));
        assertThat(slice.at("addressType", String.class)).contains("IPv4");
        assertThat(slice.at("ports", List.class)).contains(List.of(Map.of("name", "http", "protocol", "TCP", "port", 8080)));
        assertThat(endpointsOf(slice)).extracting(e -> e.get("addresses"), e -> e.get("conditions")).containsExactly(
                org.assertj.core.groups.Tuple.tuple(List.of("10.244.0.5"), Map.of("ready", true, "serving", true, "terminating", false)),
                org.assertj.core.groups.Tuple.tuple(List.of("10.244.0.6"), Map.of("ready", false, "serving", false, "terminating", false)));

        GenericObject endpoints = env.awaitObject(EndpointsController.ENDPOINTS, NS, "shop",
                e -> e.at("subsets").isPresent());
        assertThat(endpoints.at("subsets")).hasValueSatisfying(s -> assertThat(s.toString())
                .contains("addresses=[{ip=10.244.0.5").contains("notReadyAddresses=[{ip=10.244.0.6").contains("port=8080"));

        // A terminating pod stays in the slice, not ready but still serving.
        env.resources(Pod.class).delete(NS, "a");
        awaitSlice(env, "shop", s -> endpointsOf(s).stream().anyMatch(e -> e.get("addresses").equals(List.of("10.244.0.5"))
                && e.get("conditions").equals(Map.of("ready", false, "serving", true, "terminating", true))));
    }

    @Test
    void aSelectorThatSelectsNothingGetsAnEmptySliceAndAnEvent(TestEnvironment env) throws Exception {
        start(env);
        env.client().resources(ResourceTypes.SERVICE).create(service("nobody", Map.of("app", "missing")));
        GenericObject slice = awaitSlice(env, "nobody", s -> true);
        assertThat(endpointsOf(slice)).isEmpty();
        Eventually.eventually("a NoPodsSelected Event", () -> env.resources(Event.class).list(NS).items(),
                l -> l.stream().anyMatch(e -> "NoPodsSelected".equals(e.reason())));
    }

    @Test
    void slicesHoldAtMostOneHundredEndpoints() {
        List<Backend> backends = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            Pod pod = Pod.of(ObjectMeta.builder().namespace(NS).name("p" + i).uid("u" + i).build(), PodSpec.builder().build());
            backends.add(new Backend(pod, "10.1." + (i / 200) + "." + (i % 200), true, true, false,
                    List.of(Map.of("protocol", "TCP", "port", 80))));
        }
        List<Map<String, Object>> slices = EndpointSliceController.desiredSlices(backends);
        assertThat(slices).extracting(s -> ((List<?>) s.get("endpoints")).size()).containsExactly(100, 100, 50);
    }
}
