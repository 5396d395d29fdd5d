package io.kardia.core.crd;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The API server keeps fields the schema does not describe under this field
 * ({@code x-kubernetes-preserve-unknown-fields: true}) instead of pruning them. Required on
 * free-form fields ({@code Object}, {@code Map<String, Object>}, {@code JsonNode}); allowed on
 * record fields and record types, which then keep their declared properties as well.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.RECORD_COMPONENT, ElementType.TYPE})
public @interface PreserveUnknownFields {
}
