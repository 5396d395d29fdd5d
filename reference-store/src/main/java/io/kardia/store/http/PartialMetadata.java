package io.kardia.store.http;

import com.sun.net.httpserver.HttpExchange;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.Status;
import io.kardia.store.StoreList;
import io.kardia.store.StoredObject;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Metadata-only answers: {@code Accept: application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1}
 * (or {@code PartialObjectMetadataList}, or {@code v1beta1}) gets every object of any kind reduced
 * to {@code {"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{...}}}, for
 * gets, lists and watch events alike. JSON only: a protobuf alternative with {@code as=} is passed
 * over for the next one (kube-apiserver would also answer it in protobuf).
 */
final class PartialMetadata {
    static final String KIND = "PartialObjectMetadata";
    static final String LIST_KIND = "PartialObjectMetadataList";

    /** What was asked for: the meta.k8s.io version and whether the list kind was named. */
    record Request(String version, boolean listKind) {
        String apiVersion() {
            return "meta.k8s.io/" + version;
        }

        String contentType(boolean list) {
            return "application/json;as=" + (list ? LIST_KIND : KIND) + ";g=meta.k8s.io;v=" + version;
        }

        /** A get wants a single object, a list the list kind; kube-apiserver answers the other with 406. */
        void checkFor(boolean list) {
            if (list && !listKind) {
                throw notAcceptable("you requested " + KIND + ", but the requested object is a list");
            }
            if (!list && listKind) {
                throw notAcceptable("you requested " + LIST_KIND + ", but the requested object is not a list");
            }
        }

        private static KubeApiException notAcceptable(String why) {
            return KubeApiException.of(Status.failure(406, "NotAcceptable", why, null));
        }
    }

    private PartialMetadata() {
    }

    /** The metadata-only request in {@code accept}, or null when the first acceptable alternative is another. */
    static Request requested(String accept) {
        if (accept == null || !accept.contains("as=PartialObjectMetadata")) {
            return null;
        }
        for (AcceptAlternatives a : AcceptAlternatives.parse(accept)) {
            if (!a.json()) {
                continue;
            }
            if (a.as() == null) {
                return null; // a whole object is as acceptable and comes first
            }
            if (a.asMeta(KIND) || a.asMeta(LIST_KIND)) {
                return new Request(a.version(), LIST_KIND.equals(a.as()));
            }
        }
        return null;
    }

    /** {@code {"kind":"PartialObjectMetadata","apiVersion":...,"metadata":...}} of one stored object. */
    static byte[] of(Request r, StoredObject o) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            write(out, head(r), o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes each watch event's object as a PartialObjectMetadata, straight from its stored bytes. */
    static WatchStreamer.Renderer writer(Request r) {
        byte[] head = head(r);
        return (out, o) -> write(out, head, o);
    }

    private static byte[] head(Request r) {
        return ("{\"kind\":\"" + KIND + "\",\"apiVersion\":\"" + r.apiVersion() + "\",\"metadata\":")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static void write(OutputStream out, byte[] head, StoredObject o) throws IOException {
        out.write(head);
        o.writeMetadataTo(out);
        out.write('}');
    }

    static void sendObject(HttpExchange ex, Request r, StoredObject o) throws IOException {
        r.checkFor(false);
        byte[] body = of(r, o);
        ex.getResponseHeaders().set("Content-Type", r.contentType(false));
        ex.getResponseHeaders().set("Cache-Control", "no-cache, private");
        HttpIo.sendHeaders(ex, 200, body.length);
        try (var out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** A PartialObjectMetadataList, streamed item by item (chunked: the metadata sizes are not known up front). */
    static void sendList(HttpExchange ex, Request r, StoreList page, byte[] listMeta) throws IOException {
        r.checkFor(true);
        ex.getResponseHeaders().set("Content-Type", r.contentType(true));
        ex.getResponseHeaders().set("Cache-Control", "no-cache, private");
        HttpIo.sendHeaders(ex, 200, 0);
        byte[] head = head(r);
        try (OutputStream out = new BufferedOutputStream(ex.getResponseBody(), 64 * 1024)) {
            out.write(("{\"kind\":\"" + LIST_KIND + "\",\"apiVersion\":\"" + r.apiVersion() + "\",\"metadata\":")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(listMeta);
            out.write(",\"items\":[".getBytes(StandardCharsets.US_ASCII));
            boolean first = true;
            for (StoredObject o : page.items()) {
                if (!first) {
                    out.write(',');
                }
                first = false;
                write(out, head, o);
            }
            out.write(']');
            out.write('}');
        }
    }
}
