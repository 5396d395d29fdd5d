package io.kardia.core.config;

import io.kardia.core.client.KubeClientException;

/**
 * A kubeconfig, in-cluster configuration or credential plugin is unusable. The message names the
 * file and the field at fault; it never contains a credential.
 */
public class KubeConfigException extends KubeClientException {
    public KubeConfigException(String message) {
        super(message);
    }

    public KubeConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
