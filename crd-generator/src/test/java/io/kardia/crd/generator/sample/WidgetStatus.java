package io.kardia.crd.generator.sample;

public record WidgetStatus(String observedColor, Long observedGeneration) implements WidgetStatusBuilder.With {
}
