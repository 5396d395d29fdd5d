package io.kardia.runtime.leader;

import io.kardia.core.client.KubeClientException;

/**
 * A write refused by this process itself, never sent: it leads under a lease whose renew deadline
 * has passed, so another candidate may already lead. A reconcile that meets it fails and is
 * retried once (if ever) this process leads again.
 */
public class FencedWriteException extends KubeClientException {
    public FencedWriteException(String message) {
        super(message);
    }
}
