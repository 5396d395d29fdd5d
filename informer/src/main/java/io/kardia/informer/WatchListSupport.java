package io.kardia.informer;

import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the informers of one client have learnt about the server's streaming lists (WatchList):
 * unknown until one of them tries, then served or not. Once a server is found not to serve them,
 * every informer sharing this memo lists with LIST from then on, and the finding is logged once.
 */
public final class WatchListSupport {
    private static final Logger log = LoggerFactory.getLogger(WatchListSupport.class);

    private enum State { UNKNOWN, SERVED, NOT_SERVED }

    private final AtomicReference<State> state = new AtomicReference<>(State.UNKNOWN);
    private volatile String reason;

    /** True unless the server was found not to serve streaming lists. */
    public boolean mayTry() {
        return state.get() != State.NOT_SERVED;
    }

    /** True once a streaming list completed with its end bookmark. */
    public boolean served() {
        return state.get() == State.SERVED;
    }

    /** Why the server is taken not to serve streaming lists, or null. */
    public String reason() {
        return reason;
    }

    void markServed() {
        state.compareAndSet(State.UNKNOWN, State.SERVED);
    }

    /** Remembers that the server does not serve streaming lists; logs the first time only. */
    void markNotServed(String what, String why) {
        if (state.getAndSet(State.NOT_SERVED) != State.NOT_SERVED) {
            reason = why;
            log.info("{}: the server does not serve streaming lists (sendInitialEvents): {}; this client's informers "
                    + "list with LIST and WATCH from now on", what, why);
        }
    }
}
