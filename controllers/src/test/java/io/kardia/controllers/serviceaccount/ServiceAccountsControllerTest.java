package io.kardia.controllers.serviceaccount;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ResourceTypes;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import org.junit.jupiter.api.Test;

@KardiaTest
class ServiceAccountsControllerTest {

    @Test
    void everyNamespaceHasADefaultServiceAccountRecreatedWhenDeleted(TestEnvironment env) throws Exception {
        env.createNamespace("before");
        env.startManager(ServiceAccountsController::register);
        env.createNamespace("after");

        GenericObject first = env.awaitObject(ResourceTypes.SERVICE_ACCOUNT, "before", "default", sa -> true);
        env.awaitObject(ResourceTypes.SERVICE_ACCOUNT, "after", "default", sa -> true);

        env.client().resources(ResourceTypes.SERVICE_ACCOUNT).delete("before", "default");
        GenericObject again = env.awaitObject(ResourceTypes.SERVICE_ACCOUNT, "before", "default",
                sa -> !sa.metadata().uid().equals(first.metadata().uid()));
        assertThat(again.metadata().namespace()).isEqualTo("before");
    }
}
