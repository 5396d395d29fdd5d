package io.kardia.core.client.http;

import io.kardia.core.client.KubeClientException;
import java.io.IOException;

/** Carries a credential failure (bad token file, failing exec plugin) through OkHttp's IOException-only interceptor chain. */
final class CredentialsFailure extends IOException {
    CredentialsFailure(KubeClientException cause) {
        super(cause.getMessage(), cause);
    }

    KubeClientException failure() {
        return (KubeClientException) getCause();
    }
}
