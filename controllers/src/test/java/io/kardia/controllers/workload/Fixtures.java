package io.kardia.controllers.workload;

import io.kardia.core.model.Container;
import io.kardia.core.model.Deployment;
import io.kardia.core.model.DeploymentSpec;
import io.kardia.core.model.DeploymentStrategy;
import io.kardia.core.model.LabelSelector;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.PodTemplateSpec;
import io.kardia.core.model.ReplicaSet;
import io.kardia.core.model.ReplicaSetSpec;
import java.util.Map;

/** Objects the workload tests create. */
final class Fixtures {

    private Fixtures() {
    }

    static PodTemplateSpec template(Map<String, String> labels, String image) {
        return PodTemplateSpec.of(ObjectMeta.builder().labels(labels).build(), PodSpec.of(Container.of("app", image)));
    }

    static ReplicaSet replicaSet(String ns, String name, int replicas, Map<String, String> labels) {
        return ReplicaSet.of(ObjectMeta.of(ns, name),
                ReplicaSetSpec.of(replicas, LabelSelector.of(labels), template(labels, "nginx:1")));
    }

    static Deployment deployment(String ns, String name, int replicas, String image, DeploymentStrategy strategy) {
        Map<String, String> labels = Map.of("app", name);
        return Deployment.of(ObjectMeta.of(ns, name), DeploymentSpec.builder()
                .replicas(replicas)
                .selector(LabelSelector.of(labels))
                .template(template(labels, image))
                .strategy(strategy)
                .build());
    }

    static Pod pod(String ns, String name, Map<String, String> labels) {
        return Pod.of(ObjectMeta.builder().namespace(ns).name(name).labels(labels).build(),
                PodSpec.of(Container.of("app", "nginx:1")));
    }

    static String image(Pod p) {
        return p.spec().containers().get(0).image();
    }

    static String image(Deployment d) {
        return d.spec().template().spec().containers().get(0).image();
    }
}
