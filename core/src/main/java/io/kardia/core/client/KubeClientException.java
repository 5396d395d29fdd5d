package io.kardia.core.client;

/** The request never got an API answer: connection refused, TLS failure, bad kubeconfig... */
public class KubeClientException extends RuntimeException {
    public KubeClientException(String message, Throwable cause) {
        super(message, cause);
    }

    public KubeClientException(String message) {
        super(message);
    }
}
