package io.kardia.store.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy for tests that stands between a client and a server on loopback and, while
 * {@link #cutWatchesAfter} is set, closes a watch's connection once that many bytes of its
 * response have gone through: a network that fails halfway through a watch frame, which neither
 * side can produce on its own. Other requests pass whole.
 */
final class CuttingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger cuts = new AtomicInteger();
    private volatile int cutAfter = -1;

    CuttingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("cutting-proxy").start(this::accept);
    }

    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** Cuts every watch response after {@code bytes} (headers included); negative: cut none. */
    void cutWatchesAfter(int bytes) {
        cutAfter = bytes;
    }

    /** How many connections were cut so far. */
    int cuts() {
        return cuts.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(server);
                Connection c = new Connection(client, server);
                Thread.ofVirtual().start(c::requests);
                Thread.ofVirtual().start(c::responses);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** One proxied connection: requests go through whole; a watch's response may be cut. */
    private final class Connection {
        private final Socket client;
        private final Socket server;
        /** Bytes of response that may still pass; negative while nothing is to be cut. */
        private volatile long budget = -1;

        Connection(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void requests() {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = client.getInputStream(); OutputStream out = server.getOutputStream()) {
                for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                    if (cutAfter >= 0 && isWatch(new String(buf, 0, n, StandardCharsets.ISO_8859_1))) {
                        budget = cutAfter;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away: the other pump ends too
            } finally {
                closeBoth();
            }
        }

        private static boolean isWatch(String request) {
            return request.contains("watch=true") || request.contains("watch=1");
        }

        void responses() {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = server.getInputStream(); OutputStream out = client.getOutputStream()) {
                for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                    long left = budget;
                    if (left >= 0 && n >= left) {
                        out.write(buf, 0, (int) left);
                        out.flush();
                        cuts.incrementAndGet();
                        return; // the finally closes both sides halfway through the response
                    }
                    if (left >= 0) {
                        budget = left - n;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                closeBoth();
            }
        }

        private void closeBoth() {
            try {
                client.close();
            } catch (IOException ignored) {
                // already gone
            }
            try {
                server.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
