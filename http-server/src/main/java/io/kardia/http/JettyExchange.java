package io.kardia.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpsExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSession;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * One request on Jetty's core server, seen through {@code com.sun.net.httpserver}'s
 * {@link com.sun.net.httpserver.HttpExchange}, the API every handler of the API server is written
 * against, with the JDK server's meaning of {@link #sendResponseHeaders}: a length of 0 streams
 * (chunked), -1 means no body, any other is the Content-Length.
 *
 * <p>It is an {@link HttpsExchange} so that client-certificate authentication can read the TLS
 * session; on a plain connection {@link #getSSLSession()} is null.
 */
final class JettyExchange extends HttpsExchange {
    private final Request request;
    private final Response response;
    private final URI uri;
    private final Headers responseHeaders = new Headers();
    private Headers requestHeaders;
    private InputStream in;
    private OutputStream out;
    private int responseCode = -1;

    /** @param uri the request target as sent, already checked to be a valid URI (see {@link ExchangeDispatcher}) */
    JettyExchange(Request request, Response response, URI uri) {
        this.request = request;
        this.response = response;
        this.uri = uri;
        this.in = Request.asInputStream(request);
        // Buffered as the JDK server's chunked stream was: many small writes make few chunks.
        this.out = Response.asBufferedOutputStream(request, response);
    }

    @Override
    public Headers getRequestHeaders() {
        if (requestHeaders == null) {
            Headers h = new Headers();
            for (HttpField field : request.getHeaders()) {
                h.add(field.getName(), field.getValue());
            }
            requestHeaders = h;
        }
        return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return uri;
    }

    @Override
    public String getRequestMethod() {
        return request.getMethod();
    }

    @Override
    public HttpContext getHttpContext() {
        throw new UnsupportedOperationException("the API server has no com.sun.net.httpserver contexts");
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            // the client went away; there is no one left to tell
        }
    }

    @Override
    public InputStream getRequestBody() {
        return in;
    }

    @Override
    public OutputStream getResponseBody() {
        return out;
    }

    @Override
    public void sendResponseHeaders(int code, long length) throws IOException {
        if (responseCode >= 0) {
            throw new IOException("the response headers were already sent");
        }
        responseCode = code;
        response.setStatus(code);
        HttpFields.Mutable headers = response.getHeaders();
        for (Map.Entry<String, List<String>> header : responseHeaders.entrySet()) {
            for (String value : header.getValue()) {
                headers.add(header.getKey(), value);
            }
        }
        boolean bodiless = code < 200 || code == 204 || code == 304;
        if (length > 0) {
            headers.put(HttpHeader.CONTENT_LENGTH, length);
        } else if (length < 0 && !bodiless) {
            headers.put(HttpHeader.CONTENT_LENGTH, 0L);
        }
        // length 0: streamed; Jetty chunks it, or ends it by closing the connection when the
        // response says Connection: close
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress a ? a : null;
    }

    @Override
    public int getResponseCode() {
        return responseCode;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return request.getConnectionMetaData().getLocalSocketAddress() instanceof InetSocketAddress a ? a : null;
    }

    @Override
    public String getProtocol() {
        return request.getConnectionMetaData().getHttpVersion().asString();
    }

    @Override
    public Object getAttribute(String name) {
        return request.getAttribute(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        request.setAttribute(name, value);
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        if (i != null) {
            in = i;
        }
        if (o != null) {
            out = o;
        }
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return null;
    }

    /** The connection's TLS session (set by Jetty's SecureRequestCustomizer); null on plain HTTP. */
    @Override
    public SSLSession getSSLSession() {
        return request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData tls
                ? tls.sslSession() : null;
    }
}
