package io.rollingmigration.connect.sink;

import io.rollingmigration.connect.common.config.JdbcConnectionConfig;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.lineage.Lineage;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.util.Map;

/** Every setting of the target-store sink, with its default, validation and documentation. */
public final class TargetStoreSinkConfig extends AbstractConfig {

    public static final String TARGET_TABLE = "target.table";
    public static final String VERSION_HEADER = "version.header";
    public static final String MAX_RETRIES = "max.retries";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";

    private static final String CONNECTION_GROUP = "Connection";
    private static final String WRITES_GROUP = "Writes";
    private static final String RETRIES_GROUP = "Retries";

    public static final ConfigDef CONFIG_DEF = definition();

    private final JdbcConnectionConfig connection;
    private final TableId table;

    public TargetStoreSinkConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals);
        this.connection = JdbcConnectionConfig.from(this, "");
        this.table = TableId.parse(getString(TARGET_TABLE));
    }

    private static ConfigDef definition() {
        ConfigDef def = new ConfigDef();
        JdbcConnectionConfig.define(def, "", CONNECTION_GROUP, "the target database");
        int order = 0;
        def.define(TARGET_TABLE, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new TableNameValidator(),
                        ConfigDef.Importance.HIGH,
                        "The target table, 'table' or 'schema.table'. The target service owns it: the sink never "
                                + "creates or alters it, and checks at start that it has every lineage column.",
                        WRITES_GROUP, ++order, ConfigDef.Width.MEDIUM, "Target table")
                .define(VERSION_HEADER, ConfigDef.Type.STRING, Lineage.Field.SOURCE_POSITION.header(),
                        new ConfigDef.NonEmptyString(), ConfigDef.Importance.MEDIUM,
                        "The record header holding the change's version (int64, or a string of digits). A change "
                                + "is applied only if its version is newer than the row's stored version.",
                        WRITES_GROUP, ++order, ConfigDef.Width.MEDIUM, "Version header")
                .define(MAX_RETRIES, ConfigDef.Type.INT, 10, ConfigDef.Range.atLeast(0), ConfigDef.Importance.MEDIUM,
                        "How many times a batch is retried after a transient database error (connection lost, "
                                + "serialisation failure, server shutting down) before the task fails.",
                        RETRIES_GROUP, 1, ConfigDef.Width.SHORT, "Max retries")
                .define(RETRY_BACKOFF_MS, ConfigDef.Type.LONG, 3000L, ConfigDef.Range.atLeast(0),
                        ConfigDef.Importance.LOW,
                        "Wait between retries of a batch after a transient database error, in milliseconds.",
                        RETRIES_GROUP, 2, ConfigDef.Width.SHORT, "Retry back-off (ms)");
        return def;
    }

    public JdbcConnectionConfig connection() {
        return connection;
    }

    public TableId table() {
        return table;
    }

    public String versionHeader() {
        return getString(VERSION_HEADER);
    }

    public int maxRetries() {
        return getInt(MAX_RETRIES);
    }

    public long retryBackoffMillis() {
        return getLong(RETRY_BACKOFF_MS);
    }

    /** Rejects names that are not {@code table} or {@code schema.table}, with the reason on the key. */
    static final class TableNameValidator implements ConfigDef.Validator {
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
}
