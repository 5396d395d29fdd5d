package io.kardia.http;

import com.sun.net.httpserver.HttpHandler;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each request Jetty parsed to an {@link HttpHandler} on a thread of its own (a virtual
 * thread per request: a watch is a parked virtual thread, never one of Jetty's few platform
 * threads). The request target must be a valid {@link URI}, as handlers read it as one: Jetty
 * accepts some targets {@code java.net.URI} refuses (such as {@code /a|b}), and those get a 400
 * here, through the server's error handler, before any handler runs.
 */
final class ExchangeDispatcher extends Handler.Abstract.NonBlocking {
    private static final Logger LOG = LoggerFactory.getLogger(ExchangeDispatcher.class);

    private final HttpHandler handler;
    private final Executor executor;

    ExchangeDispatcher(HttpHandler handler, Executor executor) {
        this.handler = handler;
        this.executor = executor;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        URI uri;
        try {
            uri = new URI(request.getHttpURI().getPathQuery());
        } catch (URISyntaxException e) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            Response.writeError(request, response, callback, 400, "the request target is not a valid URI");
            return true;
        }
        try {
            executor.execute(() -> serve(request, response, callback, uri));
        } catch (RejectedExecutionException stopping) {
            Response.writeError(request, response, callback, 503, "the server is shutting down");
        }
        return true;
    }

    private void serve(Request request, Response response, Callback callback, URI uri) {
        JettyExchange exchange = new JettyExchange(request, response, uri);
        try {
            handler.handle(exchange);
            exchange.close();
            callback.succeeded();
        } catch (Throwable t) {
            LOG.debug("{} {}: the handler failed", request.getMethod(), uri.getRawPath(), t);
            callback.failed(t);
        }
    }
}
