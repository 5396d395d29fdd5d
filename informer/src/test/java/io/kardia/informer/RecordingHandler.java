package io.kardia.informer;

import io.kardia.core.model.KubeObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every call, in order, as {@code add ns/a@3}, {@code update ns/a@3->4}, {@code delete ns/a@4 tombstone}. */
class RecordingHandler<T extends KubeObject> implements ResourceEventHandler<T> {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void onAdd(T obj, boolean isInInitialList) {
        calls.add("add " + obj.key() + "@" + obj.metadata().resourceVersion() + (isInInitialList ? " initial" : ""));
    }

    @Override
    public void onUpdate(T oldObj, T newObj) {
        calls.add("update " + newObj.key() + "@" + oldObj.metadata().resourceVersion() + "->"
                + newObj.metadata().resourceVersion() + (oldObj == newObj ? " resync" : ""));
    }

    @Override
    public void onDelete(T obj, boolean finalStateUnknown) {
        calls.add("delete " + obj.key() + "@" + obj.metadata().resourceVersion() + (finalStateUnknown ? " tombstone" : ""));
    }

    List<String> snapshot() {
        return new ArrayList<>(calls);
    }
}
