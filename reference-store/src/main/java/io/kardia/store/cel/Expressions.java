package io.kardia.store.cel;

import dev.cel.common.ast.CelExpr;

/** Questions about a checked CEL expression tree. */
final class Expressions {
    private Expressions() {
    }

    /** True when {@code expr} names the variable {@code name} anywhere. */
    static boolean references(CelExpr expr, String name) {
        return switch (expr.getKind()) {
            case IDENT -> expr.ident().name().equals(name);
            case SELECT -> references(expr.select().operand(), name);
            case CALL -> expr.call().target().map(t -> references(t, name)).orElse(false)
                    || expr.call().args().stream().anyMatch(a -> references(a, name));
            case LIST -> expr.list().elements().stream().anyMatch(e -> references(e, name));
            case MAP -> expr.map().entries().stream().anyMatch(e -> references(e.key(), name) || references(e.value(), name));
            case STRUCT -> expr.struct().entries().stream().anyMatch(e -> references(e.value(), name));
            case COMPREHENSION -> {
                CelExpr.CelComprehension c = expr.comprehension();
                yield references(c.iterRange(), name) || references(c.accuInit(), name) || references(c.loopCondition(), name)
                        || references(c.loopStep(), name) || references(c.result(), name);
            }
            default -> false;
        };
    }
}
