package io.kardia.benchmarks.operator;

import java.io.FileInputStream;
import java.io.InputStream;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * What a cold JVM's first TLS handshake costs the client, by the server's key type: the largest
 * single cost of an operator's start-up besides class loading (issue 18). Two modes:
 * {@code server KEYSTORE.p12 PORT} serves TLS with the key in a PKCS#12 store (password
 * {@code changeit}) and answers each connection with one byte; {@code client CA.pem PORT} (a fresh
 * JVM per sample) trusts that CA, handshakes once and prints the process CPU the handshake took,
 * and that CPU plus what the JIT compiled for it in the next 1.5 s (what it really costs).
 * A main, not JMH: the subject is a cold JVM. {@code -Djdk.tls.namedGroups=} picks the key share.
 */
public final class FirstHandshakeCost {
    private FirstHandshakeCost() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3 || !(args[0].equals("server") || args[0].equals("client"))) {
            throw new IllegalArgumentException("usage: server KEYSTORE.p12 PORT | client CA.pem PORT");
        }
        int port = Integer.parseInt(args[2]);
        if (args[0].equals("server")) {
            serve(args[1], port);
        } else {
            handshake(args[1], port);
        }
    }

    private static void serve(String keystore, int port) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        try (SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(port)) {
            while (true) {
                SSLSocket s = (SSLSocket) server.accept();
                Thread.ofVirtual().start(() -> {
                    try (s) {
                        s.startHandshake();
                        s.getOutputStream().write(1);
                        s.getOutputStream().flush();
                        s.getInputStream().read();
                    } catch (Exception e) {
                        // the client went away: nothing to serve
                    }
                });
            }
        }
    }

    private static void handshake(String caPem, int port) throws Exception {
        long setupCpu = cpuMillis();
        X509Certificate ca;
        try (InputStream in = new FileInputStream(caPem)) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        long before = cpuMillis();
        long start = System.nanoTime();
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.startHandshake();
            s.getInputStream().read();
            s.getOutputStream().write(1);
        }
        long wall = (System.nanoTime() - start) / 1_000_000;
        long handshake = cpuMillis() - before;
        Thread.sleep(1500); // let the compilers finish what the handshake queued: part of its cost
        System.out.printf("%s: setup CPU %d ms; handshake wall %d ms, CPU %d ms; with the JIT's work for it %d ms%n",
                ca.getPublicKey().getAlgorithm(), before - setupCpu, wall, handshake, cpuMillis() - before);
    }

    private static long cpuMillis() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
    }
}
