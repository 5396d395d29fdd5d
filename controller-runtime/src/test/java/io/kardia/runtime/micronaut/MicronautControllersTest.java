package io.kardia.runtime.micronaut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.ObjectMeta;
import io.kardia.runtime.Controller;
import io.kardia.runtime.Manager;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import io.micronaut.context.BeanContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@KardiaTest
class MicronautControllersTest {

    @Test
    void reconcilerBeansBecomeControllersOfTheManager(TestEnvironment env) throws Exception {
        try (BeanContext beans = BeanContext.run()) {
            Manager manager = env.startManager(m -> {
                List<Controller> registered = MicronautControllers.register(beans, m);
                assertThat(registered).extracting(Controller::name).containsExactly("cm-beans");
                assertThat(registered.getFirst().maxConcurrentReconciles()).isEqualTo(2);
            });
            assertThat(manager.informers().informers()).extracting(i -> i.type().kind())
                    .containsExactlyInAnyOrder("ConfigMap", "Secret");
            env.resources(ConfigMap.class).create(ConfigMap.of(ObjectMeta.of("default", "from-beans"), Map.of()));
            SeenConfigMaps seen = beans.getBean(SeenConfigMaps.class);
            await().untilAsserted(() -> assertThat(seen.names).contains("from-beans"));
        }
    }
}
