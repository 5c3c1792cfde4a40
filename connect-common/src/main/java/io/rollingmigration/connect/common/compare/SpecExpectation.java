package io.rollingmigration.connect.common.compare;

import io.rollingmigration.connect.common.spec.AggregateTranslator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * The target as the pipeline's own mapping spec defines it: the legacy row translated by the same
 * {@link AggregateTranslator} the translation SMT uses, as a snapshot read ({@code op} 'r', no {@code before}).
 */
public final class SpecExpectation implements Expectation {

    private final AggregateTranslator translator;
    private final List<String> fields = new ArrayList<>();

    public SpecExpectation(AggregateTranslator translator) {
        this.translator = translator;
        for (Field field : translator.valueSchema().fields()) {
            if (!field.name().equals(translator.keyField())) {
                fields.add(field.name());
            }
        }
    }

    @Override
    public String targetKey(Map<String, Object> legacy) {
        return translator.targetId(legacy);
    }

    @Override
    public Map<String, Object> expected(Map<String, Object> legacy, String targetKey) {
        Struct aggregate = translator.translate(targetKey, legacy, Map.of(), Map.of(), "r");
        Map<String, Object> values = new HashMap<>(fields.size() * 2);
        for (String field : fields) {
            values.put(field, aggregate.get(field));
        }
        return values;
    }

    @Override
    public List<String> fields() {
        return fields;
    }

    @Override
    public String rule() {
        return translator.rule();
    }

    /** The target column holding the aggregate's key. */
    public String keyField() {
        return translator.keyField();
    }
}
