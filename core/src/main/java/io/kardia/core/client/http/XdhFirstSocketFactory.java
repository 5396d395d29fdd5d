package io.kardia.core.client.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.Interceptor;
import okhttp3.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens client TLS sockets that offer only the X25519 and X448 key-exchange groups, until a
 * server refuses them. The JDK's client sends a key share for its most preferred group of each
 * kind it offers, so with its default groups every handshake also makes a P-256 key pair that a
 * server taking X25519 never uses: in a cold JVM that is interpreted elliptic-curve arithmetic and
 * then one of the largest C2 compilations of an operator's start-up. kube-apiserver (Go), Kardia's
 * server and the usual TLS stacks take X25519. A server that does not (one limited to FIPS
 * curves) fails the handshake: from then on every socket offers the JVM's default groups, and the
 * request, which was not sent, is repeated once ({@link #refusalWatcher()}, {@link #retryRefused()}).
 * Not used when the JVM's groups are set ({@code jdk.tls.namedGroups}) or include no XDH group.
 */
final class XdhFirstSocketFactory extends ConfiguringSocketFactory {
    private static final Logger LOG = LoggerFactory.getLogger(XdhFirstSocketFactory.class);
    private static final List<String> XDH = List.of("x25519", "x448");

    private final String[] xdhGroups;
    private final AtomicBoolean xdhOnly = new AtomicBoolean(true);
    /** Calls whose handshake was refused while offering the XDH groups only, until they end. */
    private final Set<Call> refusedCalls = ConcurrentHashMap.newKeySet();

    private XdhFirstSocketFactory(SSLSocketFactory delegate, String[] xdhGroups) {
        super(delegate);
        this.xdhGroups = xdhGroups;
    }

    /**
     * {@code delegate} offering the XDH groups only, or null when the JVM's groups were chosen
     * by its user or hold no XDH group ({@code defaults} are the context's client parameters).
     */
    static XdhFirstSocketFactory of(SSLSocketFactory delegate, SSLParameters defaults) {
        String[] groups = defaults.getNamedGroups();
        if (System.getProperty("jdk.tls.namedGroups") != null || groups == null) {
            return null;
        }
        String[] xdh = Arrays.stream(groups).filter(XDH::contains).toArray(String[]::new);
        return xdh.length == 0 || xdh.length == groups.length ? null : new XdhFirstSocketFactory(delegate, xdh);
    }

    /**
     * Notes each call whose TLS handshake failed while this factory offered the XDH groups only,
     * and from then on offers every group: the refusal of a server without them.
     */
    EventListener.Factory refusalWatcher() {
        return call -> new EventListener() {
            /** Whether this call's latest handshake offered the XDH groups only. */
            private volatile boolean offeredXdhOnly;

            @Override
            public void secureConnectStart(Call call) {
                offeredXdhOnly = xdhOnly.get(); // the socket is made right after this
            }

            @Override
            public void connectFailed(Call call, InetSocketAddress address, Proxy proxy, Protocol protocol, IOException e) {
                if (offeredXdhOnly && e instanceof SSLException && !(e instanceof SSLPeerUnverifiedException)
                        && !causedByCertificate(e)) {
                    refusedCalls.add(call);
                    if (xdhOnly.compareAndSet(true, false)) {
                        LOG.info("{} refused a TLS handshake offering only {} ({}); offering every group from now on",
                                address, String.join(", ", xdhGroups), e.toString());
                    }
                }
            }

            @Override
            public void callEnd(Call call) {
                refusedCalls.remove(call);
            }

            @Override
            public void callFailed(Call call, IOException e) {
                refusedCalls.remove(call);
            }
        };
    }

    /**
     * Repeats, once, a request whose connection failed in a handshake {@link #refusalWatcher()}
     * noted: nothing was sent, and the next connection offers every group.
     */
    Interceptor retryRefused() {
        return chain -> {
            try {
                return chain.proceed(chain.request());
            } catch (IOException e) {
                if (!refusedCalls.remove(chain.call())) {
                    throw e;
                }
                return chain.proceed(chain.request());
            }
        };
    }

    private static boolean causedByCertificate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    /** Offers the XDH groups only, until a server refused them. */
    @Override
    Socket configure(Socket socket) {
        if (xdhOnly.get() && socket instanceof SSLSocket ssl) {
            SSLParameters parameters = ssl.getSSLParameters();
            parameters.setNamedGroups(xdhGroups);
            ssl.setSSLParameters(parameters);
        }
        return socket;
    }
}
