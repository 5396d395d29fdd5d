package ${package};

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.model.Condition;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.CustomResourceDefinition;
import io.kardia.core.model.ObjectMeta;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import io.micronaut.context.BeanContext;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The operator against an in-process Kardia reference store, wired as in production (Micronaut). */
@KardiaTest
class ${kind}ReconcilerTest {
    private final BeanContext beans = BeanContext.run();

    @AfterEach
    void closeBeans() {
        beans.close();
    }

    private void start(TestEnvironment env) throws InterruptedException {
        env.resources(CustomResourceDefinition.class).create(OperatorMain.crd());
        env.createNamespace("demo");
        env.startManager(manager -> OperatorMain.registerControllers(beans, manager));
    }

    @Test
    void theCrdDescribesTheJavaClass() {
        CustomResourceDefinition crd = OperatorMain.crd();
        assertThat(crd.metadata().name()).isEqualTo(${kind}.TYPE.groupResource());
        assertThat(crd.spec().names().kind()).isEqualTo(${kind}.TYPE.kind());
        assertThat(crd.storageResourceType().apiVersion()).isEqualTo(${kind}.TYPE.apiVersion());
        assertThat(crd.storageResourceType().hasStatus()).isTrue();
    }

    @Test
    void createsAndUpdatesAnOwnedConfigMap(TestEnvironment env) throws Exception {
        start(env);
        var resources = env.resources(${kind}.class);
        ${kind} created = resources.create(${kind}.of(ObjectMeta.of("demo", "sample"), ${kind}.Spec.of(Map.of("greeting", "hello"))));

        ConfigMap configMap = env.awaitObject(ConfigMap.class, "demo", "sample-config",
                cm -> "hello".equals(cm.data().get("greeting")));
        assertThat(configMap.metadata().controllerRef()).hasValueSatisfying(
                ref -> assertThat(ref.uid()).isEqualTo(created.metadata().uid()));
        env.awaitObject(${kind}.class, "demo", "sample", r -> r.status() != null
                && Condition.isTrue(r.status().conditions(), "Ready") && Long.valueOf(1).equals(r.status().observedGeneration()));

        resources.update(resources.get("demo", "sample").withSpec(${kind}.Spec.of(Map.of("greeting", "bonjour"))));
        env.awaitObject(ConfigMap.class, "demo", "sample-config", cm -> "bonjour".equals(cm.data().get("greeting")));

        // A hand edit of the owned ConfigMap is put right.
        env.resources(ConfigMap.class).update(env.resources(ConfigMap.class).get("demo", "sample-config")
                .withData(Map.of("greeting", "tampered")));
        env.awaitObject(ConfigMap.class, "demo", "sample-config", cm -> "bonjour".equals(cm.data().get("greeting")));
    }
}
