/**
 * Optional Micronaut integration: {@link io.kardia.runtime.micronaut.KardiaController} beans become
 * controllers through {@link io.kardia.runtime.micronaut.MicronautControllers}. Needs
 * {@code io.micronaut:micronaut-inject} on the class path and {@code micronaut-inject-java} as an
 * annotation processor; nothing else in the runtime does.
 */
package io.kardia.runtime.micronaut;
