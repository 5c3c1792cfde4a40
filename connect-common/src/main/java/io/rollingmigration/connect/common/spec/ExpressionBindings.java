package io.rollingmigration.connect.common.spec;

import java.util.AbstractMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The four variables of the spec's expressions, without a hash map built for every record. */
final class ExpressionBindings extends AbstractMap<String, Object> {
    private final Map<String, Object> after;
    private final Map<String, Object> before;
    private final Map<String, Object> source;
    private final String op;

    ExpressionBindings(Map<String, Object> after, Map<String, Object> before, Map<String, Object> source, String op) {
        this.after = after;
        this.before = before;
        this.source = source;
        this.op = op;
    }

    @Override
    public Object get(Object name) {
        if (!(name instanceof String variable)) {
            return null;
        }
        return switch (variable) {
            case "after" -> after;
            case "before" -> before;
            case "source" -> source;
            case "op" -> op;
            default -> null;
        };
    }

    @Override
    public boolean containsKey(Object name) {
        return get(name) != null;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        Map<String, Object> all = new HashMap<>(8);
        all.put("after", after);
        all.put("before", before);
        all.put("source", source);
        all.put("op", op);
        return all.entrySet();
    }
}
