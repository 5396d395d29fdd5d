package io.kardia.store;

/**
 * One committed change, as watchers see it.
 *
 * @param object   the new state; for DELETED the last state with the deletion's resourceVersion
 * @param previous the state before the change (null for ADDED)
 */
record ChangeEvent(long revision, String resource, String key, StoreEvent.Type type, StoredObject object,
                   StoredObject previous, long timeMillis) {
}
