package io.kardia.crd.generator.sample;

import io.kardia.core.crd.Required;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

public record WidgetSpec(@Required String color, @Min(0) @Max(5) Integer size) implements WidgetSpecBuilder.With {
}
