package io.kardia.store.cel;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelBuilder;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.values.CelValueProvider;
import dev.cel.runtime.CelFunctionBinding;
import java.util.List;
import java.util.Map;

/**
 * A CEL environment as kube-apiserver builds one: the standard library and macros, optional
 * syntax ({@code self.?x.orValue(y)}), cel's strings, lists and regex extensions, Kubernetes'
 * libraries ({@link KubeCelLibrary}), heterogeneous numeric comparisons, and the given variables.
 * An environment is built once per CRD version or policy and compiles all of its expressions.
 */
public final class KubeCel {
    /** kube's {@code celconfig.PerCallLimit}: the runtime cost one expression may spend. */
    public static final long PER_CALL_LIMIT = 1_000_000;
    /** kube's {@code celconfig.RuntimeCELCostBudget}: what all rules of one write may spend together. */
    public static final long RUNTIME_BUDGET = 10_000_000;
    /** kube's {@code StaticEstimatedCostLimit}: the estimated cost one expression may have. */
    public static final long STATIC_ESTIMATED_COST_LIMIT = 10_000_000;
    /** kube's {@code StaticEstimatedCRDCostLimit}: the estimated cost of all rules of a CRD version. */
    public static final long STATIC_ESTIMATED_CRD_COST_LIMIT = 100_000_000;

    private static final CelOptions OPTIONS = CelOptions.current()
            .enableHeterogeneousNumericComparisons(true)
            .enableOptionalSyntax(true)
            .comprehensionMaxIterations((int) PER_CALL_LIMIT)
            .build();

    private final Cel cel;

    private KubeCel(Cel cel) {
        this.cel = cel;
    }

    /** An environment declaring {@code variables} (name to type), with struct types from {@code types} (may be null). */
    public static KubeCel of(Map<String, CelType> variables, CelTypeProvider types) {
        return of(variables, types, null, List.of(), List.of());
    }

    /**
     * An environment as {@link #of(Map, CelTypeProvider)} that can also create structs ({@code
     * values} makes them at run time) and has the given extra functions.
     */
    public static KubeCel of(Map<String, CelType> variables, CelTypeProvider types, CelValueProvider values,
                             List<CelFunctionDecl> functions, List<CelFunctionBinding> bindings) {
        CelBuilder b = CelFactory.plannerCelBuilder()
                .setOptions(OPTIONS)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addCompilerLibraries(CelExtensions.strings(), CelExtensions.optional(), CelExtensions.lists(), CelExtensions.encoders(OPTIONS))
                .addRuntimeLibraries(CelExtensions.strings(), CelExtensions.optional(), CelExtensions.lists(), CelExtensions.encoders(OPTIONS))
                .addFunctionDeclarations(KubeCelLibrary.declarations())
                .addFunctionBindings(KubeCelLibrary.bindings())
                .addFunctionDeclarations(AuthorizerLibrary.declarations())
                .addFunctionBindings(AuthorizerLibrary.bindings());
        if (types != null) {
            b.setTypeProvider(types);
        }
        if (values != null) {
            b.setValueProvider(values);
        }
        b.addFunctionDeclarations(functions).addFunctionBindings(bindings);
        variables.forEach(b::addVar);
        return new KubeCel(b.build());
    }

    private static final java.util.regex.Pattern CANDIDATES = java.util.regex.Pattern.compile(
            "(found no matching overload for '[^'\\n]*' applied to '[^'\\n]*') \\(candidates: [^\\n]*\\)");

    /** cel-java's issues as cel-go words them: without the overload candidates cel-java adds. */
    static String celGoWording(String issues) {
        return issues == null ? null : CANDIDATES.matcher(issues).replaceAll("$1");
    }

    /** The outcome of compiling one expression: a program, or kube's words for why not. */
    public record Compiled(CelRuntime.Program program, CelAbstractSyntaxTree ast, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    /**
     * Parses and type-checks {@code expression}; its result must be of {@code resultType} ({@code
     * null}: any). {@code what} names the expression in the type error ("cel expression must evaluate
     * to a bool", as kube words it).
     */
    public Compiled compile(String expression, CelType resultType, String typeError) {
        CelValidationResult r = cel.compile(expression);
        if (r.hasError()) {
            return new Compiled(null, null, "compilation failed: " + celGoWording(r.getErrorString()));
        }
        try {
            CelAbstractSyntaxTree ast = r.getAst();
            if (resultType != null && !resultType.equals(ast.getResultType()) && !SimpleType.DYN.equals(ast.getResultType())) {
                return new Compiled(null, ast, typeError);
            }
            return new Compiled(cel.createProgram(ast), ast, null);
        } catch (CelValidationException | CelEvaluationException e) {
            return new Compiled(null, null, "compilation failed: " + e.getMessage());
        }
    }

    /**
     * What type checking says of {@code expression}, without making a program: its result type,
     * or the checker's issues as cel-go prints them ({@code ERROR: <input>:1:8: undefined field
     * 'x'} with the source line and a caret), as kube's policy type checker reports them.
     */
    public Checked check(String expression) {
        CelValidationResult r = cel.compile(expression);
        if (r.hasError()) {
            return new Checked(null, celGoWording(r.getErrorString()));
        }
        try {
            return new Checked(r.getAst().getResultType(), null);
        } catch (CelValidationException e) {
            return new Checked(null, e.getMessage());
        }
    }

    /** The outcome of type checking one expression: its type, or the issues. */
    public record Checked(CelType resultType, String issues) {
    }

    /** The parsed (not checked) form of {@code expression}, if it parses. */
    public java.util.Optional<CelAbstractSyntaxTree> parse(String expression) {
        CelValidationResult r = cel.parse(expression);
        if (r.hasError()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(r.getAst());
        } catch (CelValidationException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Evaluates {@code program} over {@code vars}, charging every step to {@code cost}. The map is
     * read through a resolver: handed a map, cel-java copies it into an immutable activation on
     * every evaluation (a stream over its entries), which cost more than a short rule itself.
     */
    public static Object eval(CelRuntime.Program program, Map<String, ?> vars, RuntimeCost cost) throws CelEvaluationException {
        return program.trace((CelVariableResolver) name -> java.util.Optional.ofNullable(vars.get(name)), cost);
    }

    /** Evaluates {@code program} with variables from {@code vars}, charging every step to {@code cost}. */
    public static Object eval(CelRuntime.Program program, CelVariableResolver vars, RuntimeCost cost) throws CelEvaluationException {
        return program.trace(vars, cost);
    }
}
