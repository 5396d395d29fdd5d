package io.kardia.store.admission;

/**
 * kube's ErrCallingWebhook: the webhook could not be asked or its answer could not be understood
 * (unreachable, timed out, not TLS-trusted, not an AdmissionReview), as opposed to a webhook that
 * answered and refused. The webhook's failurePolicy decides what such a failure means.
 */
final class WebhookCallException extends Exception {
    WebhookCallException(String reason) {
        super(reason);
    }

    WebhookCallException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
