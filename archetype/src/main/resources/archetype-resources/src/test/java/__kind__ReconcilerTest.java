package ${package};

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.model.Condition;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.CustomResourceDefinition;
import io.kardia.core.model.ObjectMeta;
import io.kardia.runtime.crd.Crds;
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
        OperatorMain.installCrd(env.client());
        env.createNamespace("demo");
        env.startManager(manager -> OperatorMain.registerControllers(beans, manager));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theGeneratedCrdDescribesTheJavaClass() {
        CustomResourceDefinition crd = Crds.generated(${kind}.class);
        assertThat(crd.metadata().name()).isEqualTo("${plural}.${group}");
        assertThat(crd.spec().names().kind()).isEqualTo("${kind}");
        assertThat(crd.storageResourceType().apiVersion()).isEqualTo("${group}/${apiVersion}");
        assertThat(crd.storageResourceType().hasStatus()).isTrue();
        Map<String, Object> properties = (Map<String, Object>) crd.spec().versions().getFirst().openAPIV3Schema().get("properties");
        assertThat((Map<String, Object>) ((Map<String, Object>) properties.get("spec")).get("properties")).containsKey("data");
    }

    @Test
    void createsAndUpdatesAnOwnedConfigMap(TestEnvironment env) throws Exception {
        start(env);
        var resources = env.resources(${kind}.class);
        ${kind} created = resources.create(${kind}Builder.builder().metadata(ObjectMeta.of("demo", "sample"))
                .spec(${kind}SpecBuilder.builder().data(Map.of("greeting", "hello")).build()).build());

        ConfigMap configMap = env.awaitObject(ConfigMap.class, "demo", "sample-config",
                cm -> "hello".equals(cm.data().get("greeting")));
        assertThat(configMap.metadata().controllerRef()).hasValueSatisfying(
                ref -> assertThat(ref.uid()).isEqualTo(created.metadata().uid()));
        env.awaitObject(${kind}.class, "demo", "sample", r -> r.status() != null
                && Condition.isTrue(r.status().conditions(), "Ready") && Long.valueOf(1).equals(r.status().observedGeneration()));

        // The generated withers change one field and keep the others, so adding a field to Spec breaks no call.
        ${kind} current = resources.get("demo", "sample");
        resources.update(current.withSpec(current.spec().withData(Map.of("greeting", "bonjour"))));
        env.awaitObject(ConfigMap.class, "demo", "sample-config", cm -> "bonjour".equals(cm.data().get("greeting")));

        // A hand edit of the owned ConfigMap is put right.
        env.resources(ConfigMap.class).update(env.resources(ConfigMap.class).get("demo", "sample-config")
                .withData(Map.of("greeting", "tampered")));
        env.awaitObject(ConfigMap.class, "demo", "sample-config", cm -> "bonjour".equals(cm.data().get("greeting")));
    }
}
