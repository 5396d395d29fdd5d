package io.kardia.examples.staticsite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.model.Condition;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.CustomResourceDefinition;
import io.kardia.core.model.Deployment;
import io.kardia.core.model.ObjectMeta;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator on the real wire path: the store served over HTTP, the CRD installed as main does. */
@KardiaTest(http = true)
class StaticSiteOverHttpTest {

    @Test
    void reconcilesAndCleansUpOverHttp(TestEnvironment env) throws Exception {
        StaticSiteOperator.installCrd(env.client());
        StaticSiteOperator.installCrd(env.client()); // idempotent, as on every operator start
        assertThat(env.resources(CustomResourceDefinition.class).list(null).items()).hasSize(1);
        env.createNamespace("http");
        env.startManager(StaticSiteOperator::register);

        var sites = env.resources(StaticSite.class);
        sites.create(StaticSite.of(ObjectMeta.of("http", "wire"), StaticSiteSpec.of(null, 2, Map.of("index.html", "x"))));
        env.awaitObject(ConfigMap.class, "http", "wire-content", cm -> "x".equals(cm.data().get("index.html")));
        env.awaitObject(Deployment.class, "http", "wire", d -> d.spec().replicas() == 2);
        StaticSite seen = env.awaitObject(StaticSite.class, "http", "wire", s -> s.status() != null
                && Condition.find(s.status().conditions(), StaticSiteStatus.DEGRADED).isPresent());
        assertThat(seen.status().observedGeneration()).isEqualTo(1L);

        sites.delete("http", "wire");
        env.awaitAbsent(StaticSite.class, "http", "wire");
        env.awaitAbsent(Deployment.class, "http", "wire");
    }

    @Test
    void theMetricsPortArgumentIsChecked() {
        assertThat(StaticSiteOperator.httpPort(new String[0])).isEqualTo(8080);
        assertThat(StaticSiteOperator.httpPort(new String[] {"0"})).isZero();
        for (String[] bad : new String[][] {{"x"}, {"70000"}, {"-1"}, {"1", "2"}}) {
            assertThatThrownBy(() -> StaticSiteOperator.httpPort(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("usage: StaticSiteOperator [metrics-port]");
        }
    }
}
