package io.kardia.crd.generator.sample;

import io.kardia.core.model.ConfigMap;
import io.kardia.runtime.rbac.Rbac;

/** Declares what the sample operator does, for the generated RBAC manifest. */
@Rbac(reconciles = Widget.class, owns = ConfigMap.class)
public final class WidgetOperator {
    private WidgetOperator() {
    }
}
