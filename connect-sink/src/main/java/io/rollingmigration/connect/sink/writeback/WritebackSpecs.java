package io.rollingmigration.connect.sink.writeback;

import io.rollingmigration.connect.common.spec.AggregateTranslator;
import io.rollingmigration.connect.common.spec.LegacyColumns;
import io.rollingmigration.connect.common.spec.MappingSpec;
import io.rollingmigration.connect.common.spec.SpecCompiler;
import io.rollingmigration.connect.common.spec.SpecException;
import io.rollingmigration.connect.common.spec.WritebackTranslator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The specs of the legacy tables an aggregate is written back into, one YAML or JSON document each, separated by
 * lines {@code ---}, parent tables first.
 */
final class WritebackSpecs {

    private static final Pattern SEPARATOR = Pattern.compile("(?m)^---[ \\t]*$");

    private WritebackSpecs() {}

    static List<MappingSpec> parse(String text) {
        List<MappingSpec> specs = new ArrayList<>();
        String[] documents = SEPARATOR.split(text == null ? "" : text);
        for (int i = 0; i < documents.length; i++) {
            if (documents[i].isBlank()) {
                continue;
            }
            try {
                specs.add(MappingSpec.parse(documents[i]));
            } catch (SpecException e) {
                throw new SpecException("", "spec " + (i + 1) + ": " + e.getMessage());
            }
        }
        if (specs.isEmpty()) {
            throw new SpecException("", "no mapping spec given");
        }
        return specs;
    }

    /**
     * Compiles each spec's write-back of the aggregate, against the legacy tables' own columns where {@code
     * tableColumns} gives them ({@code null} for a table it cannot describe).
     */
    static List<WritebackTranslator> compile(
            String text, String aggregate, Function<String, LegacyColumns> tableColumns) {
        return compile(parse(text), aggregate, tableColumns);
    }

    /** As {@link #compile(String, String, Function)}, for specs already parsed. */
    static List<WritebackTranslator> compile(
            List<MappingSpec> specs, String aggregate, Function<String, LegacyColumns> tableColumns) {
        List<WritebackTranslator> translators = new ArrayList<>();
        for (MappingSpec spec : specs) {
            try {
                LegacyColumns columns = tableColumns == null ? null : tableColumns.apply(spec.source());
                AggregateTranslator translator = SpecCompiler.pick(
                        columns == null
                                ? SpecCompiler.compile(spec)
                                : SpecCompiler.compile(spec, columns, spec.source()),
                        aggregate);
                translators.add(translator
                        .writeback()
                        .orElseThrow(() -> new SpecException(
                                "aggregates." + aggregate + ".writeback",
                                "the aggregate has no writeback rules, so its rows cannot be written into "
                                        + spec.source())));
            } catch (SpecException e) {
                throw new SpecException("", spec.rule() + " " + e.getMessage());
            }
        }
        return translators;
    }

    /** Every document must parse and compile; whether it defines the aggregate is the connector's check. */
    static final class Validator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return;
            }
            try {
                for (MappingSpec spec : parse(value.toString())) {
                    try {
                        SpecCompiler.compile(spec);
                    } catch (SpecException e) {
                        throw new SpecException("", spec.rule() + " " + e.getMessage());
                    }
                }
            } catch (SpecException e) {
                throw new ConfigException(name, "(mapping spec)", e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "one mapping spec per legacy table, separated by lines '---' (see docs/mapping-spec.md)";
        }
    }
}
