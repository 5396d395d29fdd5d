package io.kardia.examples.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.model.CustomResourceDefinition;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Database operator on the real wire path: the store served over HTTP, the CRD installed as main does. */
@KardiaTest(http = true)
class DatabaseOverHttpTest {

    @Test
    void ownsTheSixKindsOverHttp(TestEnvironment env) throws Exception {
        DatabaseOperator.installCrd(env.client());
        DatabaseOperator.installCrd(env.client()); // idempotent, as on every operator start
        assertThat(env.resources(CustomResourceDefinition.class).list(null).items()).hasSize(1);
        env.createNamespace("shop");
        env.startManager(DatabaseOperator::register);

        var databases = env.resources(Database.class);
        Database db = databases.create(Database.of(ObjectMeta.of("shop", "wire"), DatabaseSpec.of(null, 1, "2Gi")));
        for (ResourceType<GenericObject> kind : List.of(ResourceTypes.SERVICE_ACCOUNT, ResourceTypes.ROLE,
                ResourceTypes.ROLE_BINDING, ResourceTypes.SERVICE, ResourceTypes.STATEFUL_SET)) {
            env.awaitObject(kind, "shop", "wire", o -> DatabaseOperatorTest.controlledBy(o, db));
        }
        env.awaitObject(ResourceTypes.JOB, "shop", "wire-init-schema", o -> DatabaseOperatorTest.controlledBy(o, db));

        DatabaseOperatorTest.retryOnConflict("the replicas change", () -> databases.update(databases.get("shop", "wire")
                .withSpec(databases.get("shop", "wire").spec().withReplicas(4))));
        env.awaitObject(ResourceTypes.STATEFUL_SET, "shop", "wire", o -> o.at("spec.replicas", Integer.class).orElse(0) == 4);

        env.client().resources(ResourceTypes.SERVICE).delete("shop", "wire");
        env.awaitObject(ResourceTypes.SERVICE, "shop", "wire", o -> DatabaseOperatorTest.controlledBy(o, db));
        Database seen = env.awaitObject(Database.class, "shop", "wire", d -> d.status() != null
                && d.status().observedGeneration() != null && d.status().observedGeneration() == 2);
        assertThat(seen.status().isTrue(DatabaseStatus.DEGRADED)).isFalse();
    }

    @Test
    void theMetricsPortArgumentIsChecked() {
        assertThat(DatabaseOperator.httpPort(new String[0])).isEqualTo(8080);
        assertThat(DatabaseOperator.httpPort(new String[] {"0"})).isZero();
        for (String[] bad : new String[][] {{"x"}, {"70000"}, {"-1"}, {"1", "2"}}) {
            assertThatThrownBy(() -> DatabaseOperator.httpPort(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("usage: DatabaseOperator [metrics-port]");
        }
    }
}
