package io.rollingmigration.connect.smt.predicate;

import io.rollingmigration.connect.common.PluginVersion;
import io.rollingmigration.connect.common.change.ChangeEvent;
import io.rollingmigration.connect.common.lineage.Operation;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.transforms.predicates.Predicate;

/** True for Debezium change events whose operation is one of the configured ones; false for tombstones. */
public class OperationIs<R extends ConnectRecord<R>> implements Predicate<R>, Versioned {

    public static final String OPERATIONS = "operations";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(
                    OPERATIONS,
                    ConfigDef.Type.LIST,
                    ConfigDef.NO_DEFAULT_VALUE,
                    new OperationsValidator(),
                    ConfigDef.Importance.HIGH,
                    "The operations that match: any of CREATE, UPDATE, DELETE, READ, "
                            + "TRUNCATE, MESSAGE (case does not matter).");

    private Set<Operation> operations;

    @Override
    public void configure(Map<String, ?> configs) {
        AbstractConfig config = new AbstractConfig(CONFIG_DEF, configs);
        operations = EnumSet.noneOf(Operation.class);
        config.getList(OPERATIONS)
                .forEach(o -> operations.add(Operation.valueOf(o.trim().toUpperCase(Locale.ROOT))));
    }

    @Override
    public boolean test(R record) {
        return record.value() != null
                && ChangeEvent.isEnvelope(record.valueSchema())
                && operations.contains(
                        ChangeEvent.read(record.valueSchema(), record.value()).operation());
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    public void close() {}

    static final class OperationsValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return;
            }
            List<?> operations = (List<?>) value;
            if (operations.isEmpty()) {
                throw new ConfigException(name, value, "Name at least one operation");
            }
            for (Object operation : operations) {
                try {
                    Operation.valueOf(operation.toString().trim().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(
                            name,
                            value,
                            "'" + operation + "' is not one of CREATE, UPDATE, " + "DELETE, READ, TRUNCATE, MESSAGE");
                }
            }
        }

        @Override
        public String toString() {
            return "CREATE, UPDATE, DELETE, READ, TRUNCATE, MESSAGE";
        }
    }
}
