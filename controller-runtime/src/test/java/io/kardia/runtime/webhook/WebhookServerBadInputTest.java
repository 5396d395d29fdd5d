package io.kardia.runtime.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.model.GenericObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.tls.Certificates;
import okhttp3.tls.HandshakeCertificates;
import org.junit.jupiter.api.Test;

/**
 * What the SDK's webhook server answers to reviews it cannot read, on every path it serves: a
 * typed 400 saying why (a review nested past the decoder's depth limit, a body that is not JSON,
 * a review of the wrong kind), never a 500 or a dropped connection; the server keeps serving.
 */
class WebhookServerBadInputTest {
    private static final MediaType JSON = MediaType.get("application/json");

    @Test
    void reviewsTheServerCannotReadAreRefusedWithATyped400() throws Exception {
        try (Webhooks webhooks = Webhooks.builder()
                .validator(ConverterTest.V1, new Validator<GenericObject>() { })
                .defaulter(ConverterTest.V1, gadget -> gadget)
                .converter("conv.kardia.io", "Gadget", ConverterTest.gadgets())
                .build()) {
            webhooks.start();
            String caPem = new String(Base64.getDecoder().decode(webhooks.tls().caBundle().orElseThrow()), StandardCharsets.US_ASCII);
            HandshakeCertificates trust = new HandshakeCertificates.Builder()
                    .addTrustedCertificate(Certificates.decodeCertificatePem(caPem)).build();
            OkHttpClient http = new OkHttpClient.Builder().sslSocketFactory(trust.sslSocketFactory(), trust.trustManager()).build();
            String deep = "{\"n\":".repeat(1000) + "{}" + "}".repeat(1000);
            assertThat(webhooks.paths()).hasSize(3);
            for (String path : webhooks.paths()) {
                String kind = path.equals(Webhooks.CONVERT_PATH) ? "ConversionReview" : "AdmissionReview";
                String objects = kind.equals("ConversionReview") ? "\"objects\":[" + deep + "]" : "\"object\":" + deep;
                String review = "{\"kind\":\"" + kind + "\",\"request\":{\"uid\":\"u\"," + objects + "}}";
                for (List<String> bad : List.of(
                        List.of(review, "the body is not JSON: ", "nesting depth"),
                        List.of("{\"kind\":", "the body is not JSON: ", ""),
                        List.of("{\"kind\":\"Pod\"}", "expected a " + kind + " with a request", ""))) {
                    try (Response answer = post(http, webhooks.port(), path, bad.get(0))) {
                        String body = answer.body().string();
                        assertThat(answer.code()).as(path + ": " + body).isEqualTo(400);
                        assertThat(body).startsWith(bad.get(1)).contains(bad.get(2));
                    }
                }
            }
        }
    }

    private static Response post(OkHttpClient http, int port, String path, String body) throws java.io.IOException {
        return http.newCall(new Request.Builder().url("https://127.0.0.1:" + port + path)
                .post(RequestBody.create(body.getBytes(StandardCharsets.UTF_8), JSON)).build()).execute();
    }
}
