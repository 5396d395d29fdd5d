package io.kardia.http;

import io.kardia.core.json.Json;
import io.kardia.core.model.Status;
import java.nio.ByteBuffer;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers what Jetty refuses itself (a malformed request line, header or Content-Length, a
 * request head past the limit, a bad URI...), before any handler runs, with a Kubernetes
 * {@code Status} instead of Jetty's HTML page. The message is Jetty's short description of what
 * was wrong; one that would name a Java class is replaced by the HTTP reason phrase. The
 * connection is closed after the answer.
 */
final class StatusErrorHandler extends ErrorHandler {
    private static final Pattern JAVA_NAME = Pattern.compile("Exception|Error\\b|\\b[a-z]+\\.[a-z]+\\.[A-Za-z]");

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int code = request.getAttribute(ERROR_STATUS) instanceof Integer c ? c : response.getStatus();
        String message = request.getAttribute(ERROR_MESSAGE) instanceof String m ? m : null;
        byte[] body = body(code, message);
        response.setStatus(code);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache, private");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        // What follows a malformed request on its connection cannot be trusted (Go's net/http closes too).
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    /** Used where Jetty answers a bad request before it made a request object (an HTTP/1 parse failure). */
    @Override
    public ByteBuffer badMessageError(int code, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put(HttpHeader.CACHE_CONTROL, "no-cache, private");
        fields.put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        return ByteBuffer.wrap(body(code, reason));
    }

    static byte[] body(int code, String message) {
        return Json.toBytes(Status.failure(code, reason(code), describe(code, message), null));
    }

    private static String describe(int code, String message) {
        String phrase = HttpStatus.getMessage(code);
        if (message == null || message.isBlank() || message.equalsIgnoreCase(phrase) || JAVA_NAME.matcher(message).find()) {
            // Jetty said no more than the phrase (a bad percent-encoding in the target, a
            // Content-Length past 2^63-1...), or said it in Java's words
            return code == 400 ? phrase + ": the request line, a header or the body's framing is malformed" : phrase;
        }
        return phrase + ": " + message;
    }

    /** kube-apiserver's StatusReason for the codes Jetty answers with; none for the others. */
    private static String reason(int code) {
        return switch (code) {
            case 400 -> "BadRequest";
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 408 -> "Timeout";
            case 413 -> "RequestEntityTooLarge";
            case 415 -> "UnsupportedMediaType";
            case 500 -> "InternalError";
            case 503 -> "ServiceUnavailable";
            default -> null;
        };
    }
}
