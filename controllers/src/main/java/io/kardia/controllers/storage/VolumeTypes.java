package io.kardia.controllers.storage;

import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ResourceType;

/** The storage kinds the binder reads and writes, as generic objects. */
final class VolumeTypes {
    static final ResourceType<GenericObject> PERSISTENT_VOLUME = ResourceType.generic("", "v1", "PersistentVolume",
            "persistentvolumes", false);
    static final ResourceType<GenericObject> STORAGE_CLASS = ResourceType.generic("storage.k8s.io", "v1", "StorageClass",
            "storageclasses", false);

    private VolumeTypes() {
    }
}
