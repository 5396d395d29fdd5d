package io.kardia.crd.generator.sample;

import io.kardia.core.crd.CustomResource;
import io.kardia.core.crd.Kind;
import io.kardia.core.crd.PrinterColumn;
import io.kardia.core.model.ObjectMeta;

/** A sample kind compiled by Maven with the processor found on the class path. */
@Kind(group = "samples.kardia.io", version = "v1", shortNames = "wd")
@PrinterColumn(name = "Color", jsonPath = ".spec.color")
public record Widget(ObjectMeta metadata, WidgetSpec spec, WidgetStatus status)
        implements CustomResource<WidgetSpec, WidgetStatus>, WidgetBuilder.With {
}
