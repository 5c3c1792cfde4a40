package io.rollingmigration.connect.common.spec;

import com.google.protobuf.NullValue;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.compiler.CelCompilerLibrary;
import dev.cel.extensions.CelEncoderExtensions;
import dev.cel.extensions.CelExtensions;
import dev.cel.extensions.CelStringExtensions;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntimeBuilder;
import dev.cel.runtime.CelRuntimeLibrary;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CEL extension libraries the spec enables: strings, math, encoders and optional values. The string and encoder
 * functions are re-bound to return null for a null argument, like the spec's own functions and like SQL's: a legacy
 * {@code NULL} name trimmed is still {@code NULL}, not a failed record. The math functions keep CEL's semantics.
 */
final class CelLibraries {

    private final CelOptions options;
    private final CelStringExtensions strings = CelExtensions.strings();
    private final CelEncoderExtensions encoders = CelExtensions.encoders();

    CelLibraries(CelOptions options) {
        this.options = options;
    }

    List<CelCompilerLibrary> compilerLibraries() {
        return List.of(strings, CelExtensions.math(options), encoders, CelExtensions.optional());
    }

    List<CelRuntimeLibrary> runtimeLibraries() {
        return List.of(strings, CelExtensions.math(options), encoders, CelExtensions.optional());
    }

    /**
     * Every binding the runtime is given, by overload id, in its precedence: {@code first} (the spec's functions,
     * then the null-propagating ones), then the libraries' own (the runtime keeps the first binding of an id).
     */
    Map<String, CelFunctionBinding> bindingTable(List<CelFunctionBinding> first) {
        Map<String, CelFunctionBinding> table = new HashMap<>();
        first.forEach(b -> table.putIfAbsent(b.getOverloadId(), b));
        for (CelRuntimeLibrary library : List.<CelRuntimeLibrary>of(strings, encoders, CelExtensions.math(options))) {
            bindingsOf(library).forEach(b -> table.putIfAbsent(b.getOverloadId(), b));
        }
        return table;
    }

    /** The string extension's own bindings, by overload id. */
    Map<String, CelFunctionBinding> stringBindings() {
        Map<String, CelFunctionBinding> byId = new HashMap<>();
        for (CelFunctionBinding binding : bindingsOf(strings)) {
            byId.put(binding.getOverloadId(), binding);
        }
        return byId;
    }

    /**
     * Null-propagating versions of the string and encoder bindings. Registered before the libraries', they take
     * their place (the runtime keeps the first binding of an overload id). Only overloads that no other overload of
     * the same function shares an arity with are widened to any value: for the others a widened binding could not
     * be told apart at run time.
     */
    List<CelFunctionBinding> nullSafeBindings() {
        List<CelFunctionBinding> widened = new ArrayList<>();
        for (var library : List.of(
                new Library(strings.functions(), bindingsOf(strings)),
                new Library(encoders.functions(), bindingsOf(encoders)))) {
            Set<String> unique = uniqueByArity(library.functions());
            for (CelFunctionBinding binding : library.bindings()) {
                if (unique.contains(binding.getOverloadId())) {
                    widened.add(nullSafe(binding));
                }
            }
        }
        return widened;
    }

    private record Library(Set<CelFunctionDecl> functions, List<CelFunctionBinding> bindings) {}

    private static Set<String> uniqueByArity(Set<CelFunctionDecl> functions) {
        Set<String> unique = new HashSet<>();
        for (CelFunctionDecl function : functions) {
            Map<Integer, List<String>> byArity = new HashMap<>();
            for (CelOverloadDecl overload : function.overloads()) {
                byArity.computeIfAbsent(overload.parameterTypes().size(), n -> new ArrayList<>())
                        .add(overload.overloadId());
            }
            byArity.values().stream().filter(ids -> ids.size() == 1).forEach(ids -> unique.add(ids.get(0)));
        }
        return unique;
    }

    private static CelFunctionBinding nullSafe(CelFunctionBinding binding) {
        return CelFunctionBinding.from(
                binding.getOverloadId(),
                Collections.nCopies(binding.getArgTypes().size(), Object.class),
                args -> {
                    for (Object arg : args) {
                        if (CelValues.isNull(arg)) {
                            return NullValue.NULL_VALUE;
                        }
                    }
                    try {
                        return binding.getDefinition().apply(args);
                    } catch (ClassCastException e) {
                        throw new FunctionFailure(
                                binding.getOverloadId() + "(): an argument of the wrong type ("
                                        + CelValues.typeName(args[0]) + ")",
                                null);
                    }
                });
    }

    /** The bindings a library registers, recorded by letting it configure a builder that only listens. */
    private static List<CelFunctionBinding> bindingsOf(CelRuntimeLibrary library) {
        List<CelFunctionBinding> bindings = new ArrayList<>();
        CelRuntimeBuilder recorder = (CelRuntimeBuilder) Proxy.newProxyInstance(
                CelRuntimeBuilder.class.getClassLoader(),
                new Class<?>[] {CelRuntimeBuilder.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("addFunctionBindings") && args != null && args.length == 1) {
                        if (args[0] instanceof CelFunctionBinding[] array) {
                            Collections.addAll(bindings, array);
                        } else if (args[0] instanceof Iterable<?> iterable) {
                            iterable.forEach(b -> bindings.add((CelFunctionBinding) b));
                        }
                    }
                    return method.getReturnType().isInstance(proxy) ? proxy : null;
                });
        library.setRuntimeOptions(recorder);
        return bindings;
    }
}
