package io.rollingmigration.connect.common.config;

import io.rollingmigration.connect.common.dialect.TableId;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Accepts {@code table} or {@code schema.table}, and says why not on the offending key. */
public final class TableNameValidator implements ConfigDef.Validator {

    /** The same for an optional key: empty means no table. */
    public static ConfigDef.Validator orEmpty() {
        TableNameValidator names = new TableNameValidator();
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value != null && !value.toString().isBlank()) {
                    names.ensureValid(name, value);
                }
            }

            @Override
            public String toString() {
                return "empty, or " + names;
            }
        };
    }

    @Override
    public void ensureValid(String name, Object value) {
        if (value == null) {
            return; // ConfigDef itself reports a missing required key
        }
        try {
            TableId.parse(value.toString());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "table or schema.table";
    }
}
