package io.kardia.store.admission;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What kube-controller-manager's ValidatingAdmissionPolicy status controller does, run by the store
 * (the type checker needs the schemas it holds): after a policy is written with a {@code
 * metadata.generation} above its {@code status.observedGeneration}, its expressions are type-checked
 * ({@link PolicyTypeChecker}) and {@code status.observedGeneration} and {@code
 * status.typeChecking.expressionWarnings} are applied to the status subresource, forced, by the
 * field manager {@value #FIELD_MANAGER}. As in kube this happens shortly after the write, not in it,
 * and a policy is checked again only when its generation moves.
 */
public final class ValidatingPolicyStatus implements AutoCloseable {
    public static final String FIELD_MANAGER = "validatingadmissionpolicy-status-controller";
    private static final Logger LOG = LoggerFactory.getLogger(ValidatingPolicyStatus.class);

    /** Server-side applies {@code config} (a policy with only its name and status) to the status of policy {@code name}, forced. */
    @FunctionalInterface
    public interface StatusWriter {
        void applyStatus(String name, ObjectNode config);
    }

    private final PolicyTypeChecker checker;
    private final Function<String, Optional<ObjectNode>> latest;
    private final StatusWriter writer;
    /** Policies whose check is queued (a policy written again meanwhile is checked once, at its latest). */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private volatile ExecutorService executor;
    private volatile boolean closed;

    /** {@code latest}: the stored policy by name, read when its check runs. */
    public ValidatingPolicyStatus(AdmissionContext context, Function<String, Optional<ObjectNode>> latest, StatusWriter writer) {
        this.checker = new PolicyTypeChecker(context);
        this.latest = latest;
        this.writer = writer;
    }

    /** A policy written (or found on recovery); {@code null}: removed. Queues its check when its status is behind. */
    public void onChange(String name, ObjectNode policy) {
        if (policy == null || closed || !behind(policy) || !pending.add(name)) {
            return;
        }
        try {
            executor().execute(() -> check(name));
        } catch (RejectedExecutionException e) {
            pending.remove(name); // closed meanwhile
        }
    }

    private ExecutorService executor() {
        ExecutorService e = executor;
        if (e == null) {
            synchronized (this) {
                if (closed) {
                    throw new RejectedExecutionException("closed");
                }
                if (executor == null) {
                    executor = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("kardia-policy-type-check").factory());
                }
                e = executor;
            }
        }
        return e;
    }

    private static boolean behind(ObjectNode policy) {
        return policy.path("metadata").path("generation").asLong(0) > policy.path("status").path("observedGeneration").asLong(0);
    }

    private void check(String name) {
        pending.remove(name);
        ObjectNode policy = latest.apply(name).orElse(null);
        if (policy == null || closed || !behind(policy)) {
            return;
        }
        long generation = policy.path("metadata").path("generation").asLong();
        try {
            List<PolicyTypeChecker.ExpressionWarning> warnings = checker.check(policy.path("spec"));
            if (closed) {
                return;
            }
            writer.applyStatus(name, statusConfig(name, generation, warnings));
        } catch (RuntimeException e) {
            // kube's controller retries; here the next write of the policy does (a removed policy needs none)
            LOG.debug("status of ValidatingAdmissionPolicy {} not written: {}", name, e.toString());
        }
    }

    static ObjectNode statusConfig(String name, long generation, List<PolicyTypeChecker.ExpressionWarning> warnings) {
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.put("apiVersion", "admissionregistration.k8s.io/v1");
        config.put("kind", "ValidatingAdmissionPolicy");
        config.putObject("metadata").put("name", name);
        ObjectNode status = config.putObject("status");
        status.put("observedGeneration", generation);
        ObjectNode typeChecking = status.putObject("typeChecking");
        if (!warnings.isEmpty()) {
            ArrayNode list = typeChecking.putArray("expressionWarnings");
            warnings.forEach(w -> list.addObject().put("fieldRef", w.fieldRef()).put("warning", w.warning()));
        }
        return config;
    }

    /** Stops checking; waits (a few seconds at most) for a status write in flight, so the store can close after it. */
    @Override
    public void close() {
        closed = true;
        ExecutorService e;
        synchronized (this) {
            e = executor;
        }
        if (e != null) {
            e.shutdown();
            try {
                if (!e.awaitTermination(10, TimeUnit.SECONDS)) {
                    e.shutdownNow();
                }
            } catch (InterruptedException interrupted) {
                e.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}
