package io.kardia.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.ForwardingKubeClient;
import io.kardia.core.client.ForwardingResourceClient;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.Lease;
import io.kardia.core.model.Node;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.store.ReferenceStore;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The node agent registers as a kubelet does (status with the create, written on the latest
 * version afterwards) and never gives up: a Node edited by someone else between its create and
 * its status write, and an API server that is away at start and goes away again, do not stop it.
 */
class SimulatedNodeRegistrationTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final SimulatedNodeOptions FAST = SimulatedNodeOptions.defaults()
            .withTimings(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ZERO);

    private ReferenceStore store;
    private KubeClient client;
    private SimulatedNodes nodes;

    @BeforeEach
    void open() {
        store = ReferenceStore.inMemory();
        client = store.client();
    }

    @AfterEach
    void close() {
        if (nodes != null) {
            nodes.close();
        }
        client.close();
        store.close();
    }

    /**
     * A server that keeps no status on create (as some do), and another writer that labels the new
     * Node before the agent writes its status: that write meets a conflict, and the agent writes
     * the status on the newer version, keeping the label.
     */
    @Test
    void aNodeEditedBetweenItsCreateAndItsStatusWriteStillRegisters() throws Exception {
        AtomicInteger statusWrites = new AtomicInteger();
        KubeClient interfering = nodeClient(client, new NodeFaults() {
            @Override
            Node onCreate(Node node, ResourceClient<Node> real) {
                return real.create(node.withStatus(null)); // the server drops the status
            }

            @Override
            void beforeStatusWrite(Node node, ResourceClient<Node> real) {
                if (statusWrites.incrementAndGet() == 1) {
                    Node latest = real.get(null, node.metadata().name());
                    real.update(latest.withMetadata(latest.metadata().toBuilder().label("edited-by", "a-controller").build()));
                }
            }
        });
        nodes = new SimulatedNodes(interfering, List.of("n-1"), FAST);
        nodes.start();

        Node node = await().atMost(WAIT).until(() -> client.resources(Node.class).find(null, "n-1").orElse(null),
                n -> n != null && n.ready() && n.status().extra().containsKey("nodeInfo"));
        assertThat(node.metadata().labels()).containsEntry("edited-by", "a-controller");
        assertThat(statusWrites.get()).as("the first status write met the edit, a second one won").isGreaterThan(1);
        assertThat(nodes.isRunning("n-1")).isTrue();
        awaitLeaseRenewedAfter(Instant.now());
    }

    @Test
    void theAgentWaitsOutAnApiServerThatIsAwayAndCarriesOn() throws Exception {
        AtomicBoolean away = new AtomicBoolean(true);
        AtomicInteger refused = new AtomicInteger();
        KubeClient flaky = nodeClient(client, new NodeFaults() {
            @Override
            void beforeAnyCall() {
                if (away.get()) {
                    refused.incrementAndGet();
                    throw new UncheckedIOException(new ConnectException("Connection refused (test: API server away)"));
                }
            }
        });
        nodes = new SimulatedNodes(flaky, List.of("n-1"), FAST);
        nodes.start(); // returns although nothing could be registered
        assertThat(client.resources(Node.class).find(null, "n-1")).isEmpty();
        int atStart = refused.get();
        await().atMost(WAIT).alias("registration retried while away").until(() -> refused.get() > atStart);

        away.set(false);
        await().atMost(WAIT).until(() -> client.resources(Node.class).find(null, "n-1").map(Node::ready).orElse(false));

        away.set(true); // the API server restarts
        int beforeRestart = refused.get();
        await().atMost(WAIT).alias("heartbeats refused while away").until(() -> refused.get() >= beforeRestart + 2);
        away.set(false);
        awaitLeaseRenewedAfter(Instant.now());
        assertThat(nodes.isRunning("n-1")).isTrue();
    }

    private void awaitLeaseRenewedAfter(Instant since) {
        await().atMost(WAIT).until(() -> client.resources(Lease.class).find(SimulatedNodes.LEASE_NAMESPACE, "n-1")
                .map(l -> l.spec().renewTime().isAfter(since)).orElse(false));
    }

    /** Hooks into the agent's Node and Lease calls. */
    private abstract static class NodeFaults {
        void beforeAnyCall() {
        }

        Node onCreate(Node node, ResourceClient<Node> real) {
            return real.create(node);
        }

        void beforeStatusWrite(Node node, ResourceClient<Node> real) {
        }
    }

    private static KubeClient nodeClient(KubeClient real, NodeFaults faults) {
        return new ForwardingKubeClient(real) {
            @Override
            @SuppressWarnings("unchecked")
            public <T extends KubeObject> ResourceClient<T> resources(ResourceType<T> type) {
                ResourceClient<T> delegate = real.resources(type);
                if (type.equals(ResourceTypes.LEASE)) {
                    return new ForwardingResourceClient<>(delegate) {
                        @Override
                        public T get(String namespace, String name) {
                            faults.beforeAnyCall();
                            return super.get(namespace, name);
                        }

                        @Override
                        public T create(T object, WriteOptions options) {
                            faults.beforeAnyCall();
                            return super.create(object, options);
                        }

                        @Override
                        public T update(T object, WriteOptions options) {
                            faults.beforeAnyCall();
                            return super.update(object, options);
                        }
                    };
                }
                if (!type.equals(ResourceTypes.NODE)) {
                    return delegate;
                }
                ResourceClient<Node> nodes = (ResourceClient<Node>) delegate;
                return (ResourceClient<T>) new ForwardingResourceClient<>(nodes) {
                    @Override
                    public Node get(String namespace, String name) {
                        faults.beforeAnyCall();
                        return super.get(namespace, name);
                    }

                    @Override
                    public Node create(Node object, WriteOptions options) {
                        faults.beforeAnyCall();
                        return faults.onCreate(object, nodes);
                    }

                    @Override
                    public Node updateStatus(Node object, WriteOptions options) {
                        faults.beforeAnyCall();
                        faults.beforeStatusWrite(object, nodes);
                        return super.updateStatus(object, options);
                    }
                };
            }

            @Override
            public void close() {
                // the test closes the real client
            }
        };
    }
}
