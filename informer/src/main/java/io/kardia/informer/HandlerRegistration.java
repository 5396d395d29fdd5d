package io.kardia.informer;

/** A handler added to a {@link SharedInformer}. */
public interface HandlerRegistration {

    /** The handler's name, as in metrics and logs. */
    String name();

    /**
     * True once the informer has synced and this handler has been called for every object of the
     * initial contents (client-go's {@code ResourceEventHandlerRegistration.HasSynced}).
     */
    boolean hasSynced();

    /** Notifications queued for this handler and not yet delivered. */
    int pending();

    /** Stops delivering to this handler; notifications still queued are dropped. */
    void remove();
}
