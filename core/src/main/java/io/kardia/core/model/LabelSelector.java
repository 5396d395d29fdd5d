package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.kardia.core.selector.Operator;
import io.kardia.core.selector.Requirement;
import io.kardia.core.selector.Selector;
import io.kardia.core.selector.SelectorParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * metav1.LabelSelector as found in specs ({@code Deployment.spec.selector}): {@code matchLabels}
 * AND {@code matchExpressions}.
 *
 * <p>Two cases differ and are easy to confuse, as in Kubernetes' {@code LabelSelectorAsSelector}:
 * a <b>missing</b> selector (null) selects <b>nothing</b> — use {@link #toSelector(LabelSelector)};
 * an <b>empty</b> selector ({@code {}}) selects <b>everything</b> — {@link #toSelector()} of
 * {@link #EMPTY}.
 */
public record LabelSelector(
        Map<String, String> matchLabels,
        List<LabelSelectorRequirement> matchExpressions,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** The empty selector: matches every object. */
    public static final LabelSelector EMPTY = new LabelSelector(null, null, null);

    public LabelSelector {
        matchLabels = Frozen.map(matchLabels);
        matchExpressions = Frozen.list(matchExpressions);
        extra = Frozen.tree(extra);
    }

    public LabelSelector(Map<String, String> matchLabels, List<LabelSelectorRequirement> matchExpressions) {
        this(matchLabels, matchExpressions, null);
    }

    /** {@code matchLabels} only: the common {@code app=web} selector. */
    public static LabelSelector of(Map<String, String> matchLabels) {
        return new LabelSelector(matchLabels, null, null);
    }

    /** True when it has neither labels nor expressions, i.e. it selects everything. */
    @JsonIgnore
    public boolean isEmpty() {
        return matchLabels.isEmpty() && matchExpressions.isEmpty();
    }

    /**
     * The selector a possibly missing {@code LabelSelector} field means: null selects nothing
     * ({@link Selector#NOTHING}), otherwise {@link #toSelector()}.
     */
    public static Selector toSelector(LabelSelector selector) {
        return selector == null ? Selector.NOTHING : selector.toSelector();
    }

    /**
     * This selector as a matcher; empty → {@link Selector#EVERYTHING}.
     *
     * @throws SelectorParseException for an unknown operator or invalid keys, values or value counts
     */
    public Selector toSelector() {
        if (isEmpty()) {
            return Selector.EVERYTHING;
        }
        List<Requirement> reqs = new ArrayList<>();
        matchLabels.forEach((k, v) -> reqs.add(new Requirement(k, Operator.EQUALS, List.of(v == null ? "" : v))));
        for (LabelSelectorRequirement e : matchExpressions) {
            Operator op = switch (e.operator() == null ? "" : e.operator()) {
                case LabelSelectorRequirement.IN -> Operator.IN;
                case LabelSelectorRequirement.NOT_IN -> Operator.NOT_IN;
                case LabelSelectorRequirement.EXISTS -> Operator.EXISTS;
                case LabelSelectorRequirement.DOES_NOT_EXIST -> Operator.DOES_NOT_EXIST;
                default -> throw new SelectorParseException("\"" + e.operator()
                        + "\" is not a valid label selector operator (use In, NotIn, Exists or DoesNotExist)");
            };
            reqs.add(new Requirement(e.key(), op, e.values()));
        }
        return Selector.of(reqs);
    }

    /** Whether these labels are selected (an empty selector selects all). */
    public boolean matches(Map<String, String> labels) {
        return toSelector().matches(labels);
    }

    /**
     * kube-apiserver's {@code ValidateLabelSelector}: problems as 422 causes under {@code fieldPath}
     * (e.g. {@code spec.selector}); empty when valid.
     */
    public List<Status.Cause> validate(String fieldPath) {
        List<Status.Cause> causes = new ArrayList<>(Validation.labels(matchLabels, fieldPath + ".matchLabels"));
        for (int i = 0; i < matchExpressions.size(); i++) {
            LabelSelectorRequirement e = matchExpressions.get(i);
            String path = fieldPath + ".matchExpressions[" + i + "]";
            String op = e.operator() == null ? "" : e.operator();
            switch (op) {
                case LabelSelectorRequirement.IN, LabelSelectorRequirement.NOT_IN -> {
                    if (e.values().isEmpty()) {
                        causes.add(Status.Cause.required(path + ".values"));
                    }
                }
                case LabelSelectorRequirement.EXISTS, LabelSelectorRequirement.DOES_NOT_EXIST -> {
                    if (!e.values().isEmpty()) {
                        causes.add(new Status.Cause("FieldValueForbidden",
                                "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                                path + ".values"));
                    }
                }
                default -> causes.add(Status.Cause.invalid(path + ".operator",
                        "Invalid value: \"" + op + "\": not a valid selector operator"));
            }
            for (String err : Validation.qualifiedName(e.key())) {
                causes.add(Status.Cause.invalid(path + ".key", "Invalid value: \"" + e.key() + "\": " + err));
            }
            for (String v : e.values()) {
                for (String err : Validation.labelValue(v)) {
                    causes.add(Status.Cause.invalid(path + ".values", "Invalid value: \"" + v + "\": " + err));
                }
            }
        }
        return causes;
    }
}
