package io.kardia.core.client.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocketFactory;

/**
 * An {@link SSLSocketFactory} that opens its sockets through another and adjusts each one before
 * handing it out ({@link #configure(Socket)}): the one place that forwards the factory's six ways
 * of making a socket.
 */
abstract class ConfiguringSocketFactory extends SSLSocketFactory {
    private final SSLSocketFactory delegate;

    ConfiguringSocketFactory(SSLSocketFactory delegate) {
        this.delegate = delegate;
    }

    /** Adjusts a socket the delegate opened (its TLS parameters, say); returns the socket to hand out. */
    abstract Socket configure(Socket socket) throws IOException;

    /** The host name the layered socket is opened for (and so its SNI); the URL's host by default. */
    String layeredHost(String host) {
        return host;
    }

    @Override
    public final Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        return configure(delegate.createSocket(socket, layeredHost(host), port, autoClose));
    }

    @Override
    public final Socket createSocket(String host, int port) throws IOException {
        return configure(delegate.createSocket(host, port));
    }

    @Override
    public final Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return configure(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public final Socket createSocket(InetAddress host, int port) throws IOException {
        return configure(delegate.createSocket(host, port));
    }

    @Override
    public final Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return configure(delegate.createSocket(address, port, localAddress, localPort));
    }

    @Override
    public final Socket createSocket() throws IOException {
        return configure(delegate.createSocket());
    }

    @Override
    public final String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public final String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }
}
