package io.kardia.runtime.micronaut;

import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A collaborator injected into the reconciler bean: proves constructor injection works. */
@Singleton
public class SeenConfigMaps {
    final List<String> names = new CopyOnWriteArrayList<>();
}
