package io.kardia.core.client;

import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ResourceType;
import java.util.Set;

/**
 * One resource an API server serves, as its discovery documents list it: the type (read as
 * {@link GenericObject}, so any kind can be listed and deleted) and the verbs it accepts.
 */
public record ApiResource(ResourceType<GenericObject> type, Set<String> verbs) {

    public ApiResource {
        verbs = verbs == null ? Set.of() : Set.copyOf(verbs);
    }

    /** Whether the resource accepts every one of {@code required}, e.g. {@code "list", "delete"}. */
    public boolean supports(String... required) {
        for (String verb : required) {
            if (!verbs.contains(verb)) {
                return false;
            }
        }
        return true;
    }
}
