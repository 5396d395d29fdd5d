package io.kardia.http;

import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Kardia's HTTP/1.1 engine (the API server's, the manager's health/metrics and the webhook server's): Jetty's core server on one address, plain or TLS, handing
 * every request to one {@link HttpHandler} on a virtual thread of its own (see
 * {@link ExchangeDispatcher}), and answering what it refuses itself with a {@code Status}
 * ({@link StatusErrorHandler}).
 *
 * <p>Limits: a request head of at most 1 MiB (Go's net/http default, as kube-apiserver's), else
 * 431; a connection on which nothing moves for the idle timeout (default 30 s, the system property
 * {@value #IDLE_TIMEOUT_PROPERTY}, in seconds) is closed, whether it waits between requests or a
 * client stalls mid-request. A response that waits for its next event (a quiet watch) is not
 * cut off by it.
 */
public final class JettyServer implements AutoCloseable {
    public static final String IDLE_TIMEOUT_PROPERTY = "kardia.http.idleTimeoutSeconds";
    public static final long DEFAULT_IDLE_TIMEOUT_SECONDS = 30;
    public static final int MAX_REQUEST_HEAD_BYTES = 1024 * 1024;
    /**
     * Jetty sizes its queues' cache-line padding from the JVM's UseCompressedOops, which it asks the
     * platform MBean server for unless this property says it: starting JMX for that loads about
     * 340 classes (a tenth of an operator's start-up class loading). 16 references per 64-byte line
     * is right with compressed oops (heaps under 32 GB); a wrong guess only changes the padding.
     */
    static final String JETTY_REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";

    static {
        if (System.getProperty(JETTY_REFERENCES_PER_CACHE_LINE) == null) {
            System.setProperty(JETTY_REFERENCES_PER_CACHE_LINE, "16");
        }
    }

    private final Server server;
    private final ServerConnector connector;
    private final ExecutorService handlers;

    private JettyServer(Server server, ServerConnector connector, ExecutorService handlers) {
        this.server = server;
        this.connector = connector;
        this.handlers = handlers;
    }

    /**
     * Starts serving.
     *
     * @param tls                    TLS context, or null for plain HTTP
     * @param askForClientCertificates whether TLS asks clients for a certificate (never requires one)
     * @param threadName             prefix of the request threads' names
     */
    public static JettyServer start(InetSocketAddress address, SSLContext tls, boolean askForClientCertificates,
                             HttpHandler handler, String threadName) throws IOException {
        QueuedThreadPool pool = new QueuedThreadPool(16, 2);
        pool.setName(threadName + "jetty");
        pool.setDaemon(true);
        Server server = new Server(pool);
        server.setErrorHandler(new StatusErrorHandler());
        server.setStopTimeout(0);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(MAX_REQUEST_HEAD_BYTES);
        http.setResponseHeaderSize(64 * 1024);
        HttpConnectionFactory http11 = new HttpConnectionFactory(http);
        ServerConnector connector;
        if (tls != null) {
            // SNI host checks off: the certificate names localhost and the loopback addresses,
            // and clients reach it by any of them.
            http.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(tls);
            ssl.setWantClientAuth(askForClientCertificates);
            connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(ssl, http11.getProtocol()), http11);
        } else {
            connector = new ServerConnector(server, 1, 1, http11);
        }
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        connector.setAcceptQueueSize(1024);
        // Nagle off (Jetty's default, kept explicit): with it on, a watch event written as two
        // segments waited for the client's delayed ACK, ~7 ms per event (docs/http-server.md).
        connector.setAcceptedTcpNoDelay(true);
        connector.setIdleTimeout(idleTimeout().toMillis());
        server.addConnector(connector);

        ExecutorService handlers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(threadName, 0).factory());
        server.setHandler(new ExchangeDispatcher(handler, handlers));
        try {
            server.start();
        } catch (Exception e) {
            handlers.shutdownNow();
            try {
                server.stop();
            } catch (Exception ignored) {
                // it did not start; nothing left to stop
            }
            // Jetty wraps a port in use as IOException("Failed to bind ..."): callers tell it apart as a BindException.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.net.BindException bind) {
                    throw bind;
                }
            }
            throw e instanceof IOException io ? io : new IOException("could not start the HTTP server on " + address + ": " + e.getMessage(), e);
        }
        return new JettyServer(server, connector, handlers);
    }

    /** The idle timeout in force (the system property {@value #IDLE_TIMEOUT_PROPERTY}, else 30 s). */
    public static Duration idleTimeout() {
        return Duration.ofSeconds(Long.getLong(IDLE_TIMEOUT_PROPERTY, DEFAULT_IDLE_TIMEOUT_SECONDS));
    }

    /** The bound address (the actual port when 0 was asked for). */
    public InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost(), connector.getLocalPort());
    }

    /** Stops accepting, closes every connection and interrupts the handlers still running. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the HTTP server: " + e.getMessage(), e);
        } finally {
            handlers.shutdownNow();
        }
    }
}
