package io.kardia.controllers.job;

import io.kardia.core.model.Container;
import io.kardia.core.model.EnvVar;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The pods a Job creates from its template. */
final class JobPodTemplates {
    private JobPodTemplates() {
    }

    /**
     * A pod of the Job: the template's labels, annotations and finalizers plus the tracking
     * finalizer, a controller reference, {@code generateName <job>-}; in Indexed mode also the
     * completion index (annotation, label, {@value CompletionIndexes#ENV} in every container),
     * {@code generateName <job>-<index>-} and hostname {@code <job>-<index>}.
     *
     * @param index the completion index, or null for a NonIndexed Job
     */
    static Pod podFor(GenericObject job, JobSpec spec, Integer index) {
        ObjectMeta tm = spec.template().metadata() == null ? ObjectMeta.builder().build() : spec.template().metadata();
        String name = job.metadata().name();
        ObjectMeta.Builder meta = ObjectMeta.builder()
                .namespace(job.metadata().namespace())
                .generateName(index == null ? name + "-" : name + "-" + index + "-")
                .labels(tm.labels())
                .annotations(tm.annotations())
                .finalizers(tm.finalizers())
                .finalizer(JobController.TRACKING_FINALIZER)
                .ownerReference(OwnerReference.controllerOf(job));
        PodSpec podSpec = spec.template().spec();
        if (index != null) {
            meta.annotation(CompletionIndexes.ANNOTATION, index.toString()).label(CompletionIndexes.LABEL, index.toString());
            PodSpec.Builder b = podSpec.toBuilder();
            if (!podSpec.extra().containsKey("hostname")) {
                b.extra("hostname", name + "-" + index);
            }
            b.containers(withIndexEnv(podSpec.containers()));
            b.initContainers(withIndexEnv(podSpec.initContainers()));
            podSpec = b.build();
        }
        return Pod.of(meta.build(), podSpec);
    }

    /** {@value CompletionIndexes#ENV} from the pod's index annotation, as kube-controller-manager injects it. */
    private static List<Container> withIndexEnv(List<Container> containers) {
        List<Container> out = new ArrayList<>(containers.size());
        for (Container c : containers) {
            if (c.env().stream().anyMatch(e -> CompletionIndexes.ENV.equals(e.name()))) {
                out.add(c);
                continue;
            }
            List<EnvVar> env = new ArrayList<>(c.env());
            env.add(new EnvVar(CompletionIndexes.ENV, null, Map.of("fieldRef", Map.of("fieldPath",
                    "metadata.annotations['" + CompletionIndexes.ANNOTATION + "']")), null));
            out.add(c.withEnv(env));
        }
        return out;
    }
}
