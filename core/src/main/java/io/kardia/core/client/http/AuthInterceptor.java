package io.kardia.core.client.http;

import io.kardia.core.client.KubeClientException;
import io.kardia.core.config.CredentialSource;
import io.kardia.core.config.Credentials;
import java.io.IOException;
import java.util.Objects;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds the bearer token of the current credentials and, on a 401, asks the credential source
 * for fresh ones (re-read token file, re-run exec plugin) and retries once.
 */
final class AuthInterceptor implements Interceptor {
    private static final Logger LOG = LoggerFactory.getLogger(AuthInterceptor.class);

    private final CredentialSource source;
    private final Runnable onClientCertificateChange;

    AuthInterceptor(CredentialSource source, Runnable onClientCertificateChange) {
        this.source = source;
        this.onClientCertificateChange = onClientCertificateChange;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Credentials credentials = credentials(false, null);
        Response response = chain.proceed(authorize(chain.request(), credentials));
        if (response.code() != 401) {
            return response;
        }
        Credentials fresh = credentials(true, credentials);
        if (fresh == null) {
            return response;
        }
        LOG.debug("{} {} answered 401; retrying once with refreshed credentials", chain.request().method(),
                chain.request().url().encodedPath());
        response.close();
        if (!Objects.equals(fresh.clientCertificate(), credentials.clientCertificate())) {
            onClientCertificateChange.run(); // pooled connections still present the old certificate
        }
        return chain.proceed(authorize(chain.request(), fresh));
    }

    private Credentials credentials(boolean refresh, Credentials rejected) throws CredentialsFailure {
        try {
            return refresh ? source.refreshAfterUnauthorized(rejected) : source.current();
        } catch (KubeClientException e) {
            throw new CredentialsFailure(e);
        }
    }

    private static Request authorize(Request request, Credentials credentials) {
        if (credentials == null || credentials.bearerToken() == null) {
            return request;
        }
        return request.newBuilder().header("Authorization", "Bearer " + credentials.bearerToken()).build();
    }
}
