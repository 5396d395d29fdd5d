package io.kardia.core.client.http;

import java.net.Socket;
import javax.net.ssl.SSLSocketFactory;

/**
 * kubeconfig {@code tls-server-name}: opens TLS sockets that send this name as SNI, whatever
 * host the URL names (e.g. an IP address or a tunnel endpoint).
 */
final class ServerNameSocketFactory extends ConfiguringSocketFactory {
    private final String serverName;

    ServerNameSocketFactory(SSLSocketFactory delegate, String serverName) {
        super(delegate);
        this.serverName = serverName;
    }

    @Override
    String layeredHost(String host) {
        return serverName;
    }

    @Override
    Socket configure(Socket socket) {
        return socket;
    }
}
