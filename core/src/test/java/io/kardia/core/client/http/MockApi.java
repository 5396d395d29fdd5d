package io.kardia.core.client.http;

import mockwebserver3.MockResponse;

/** Canned kube-apiserver answers. */
final class MockApi {
    private MockApi() {
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }

    static MockResponse ok(String body) {
        return json(200, body);
    }

    static String configMap(String ns, String name, String rv) {
        return """
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"%s","namespace":"%s","resourceVersion":"%s"},\
                "data":{"k":"v"}}""".formatted(name, ns, rv);
    }

    static String status(int code, String reason, String message) {
        return """
                {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"%s","reason":"%s","code":%d}"""
                .formatted(message, reason, code);
    }
}
