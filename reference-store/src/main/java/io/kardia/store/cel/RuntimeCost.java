package io.kardia.store.cel;

import dev.cel.common.ast.CelExpr;
import dev.cel.runtime.CelEvaluationListener;
import java.util.Collection;
import java.util.Map;

/**
 * The runtime cost of evaluating one expression, charged as cel-go charges it roughly: one unit per
 * evaluated node, plus a tenth of the size of every string, list or map a node produces (traversing
 * it). Exceeding the limit stops the evaluation at once ({@link LimitExceeded}).
 */
public final class RuntimeCost implements CelEvaluationListener {
    private final long limit;
    private long spent;

    public RuntimeCost(long limit) {
        this.limit = limit;
    }

    /** Thrown (through cel's evaluator) when an expression spends more than its limit. */
    public static final class LimitExceeded extends RuntimeException {
        LimitExceeded() {
            super("operation cancelled: actual cost limit exceeded", null, false, false);
        }
    }

    @Override
    public void callback(CelExpr expr, Object value) {
        long c = 1;
        if (value instanceof String s) {
            c += s.length() / 10;
        } else if (value instanceof Collection<?> l) {
            c += l.size() / 10;
        } else if (value instanceof Map<?, ?> m) {
            c += m.size() / 10;
        }
        spent += c;
        if (spent > limit) {
            throw new LimitExceeded();
        }
    }

    public long spent() {
        return spent;
    }
}
