package io.kardia.core.client.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import okio.BufferedSink;

/**
 * A chunked response body the test feeds piece by piece, like kube-apiserver's watch stream:
 * {@link #send} writes one chunk and flushes, {@link #end} finishes the body, {@link #stall}
 * keeps the connection open and silent until {@link #release}.
 */
final class StreamingBody implements MockResponseBody {
    private static final String END = "\u0000end";
    private static final String STALL = "\u0000stall";
    private final BlockingQueue<String> chunks = new LinkedBlockingQueue<>();
    private final CountDownLatch released = new CountDownLatch(1);

    MockResponse response() {
        return new MockResponse.Builder().code(200)
                .addHeader("Content-Type", "application/json")
                .addHeader("Transfer-Encoding", "chunked")
                .body(this)
                .build();
    }

    StreamingBody send(String chunk) {
        chunks.add(chunk);
        return this;
    }

    StreamingBody end() {
        chunks.add(END);
        return this;
    }

    StreamingBody stall() {
        chunks.add(STALL);
        return this;
    }

    void release() {
        released.countDown();
    }

    @Override
    public long getContentLength() {
        return -1;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
        try {
            while (true) {
                String chunk = chunks.take();
                if (chunk.equals(END)) {
                    sink.writeUtf8("0\r\n\r\n");
                    sink.flush();
                    return;
                }
                if (chunk.equals(STALL)) {
                    released.await();
                    return;
                }
                byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
                sink.writeUtf8(Integer.toHexString(bytes.length)).writeUtf8("\r\n").write(bytes).writeUtf8("\r\n");
                sink.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
