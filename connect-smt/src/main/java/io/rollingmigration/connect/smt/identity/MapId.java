package io.rollingmigration.connect.smt.identity;

import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.rollingmigration.connect.common.PluginVersion;
import io.rollingmigration.connect.common.change.ChangeEvent;
import io.rollingmigration.connect.common.config.JdbcConnectionConfig;
import io.rollingmigration.connect.common.config.RetryConfig;
import io.rollingmigration.connect.common.config.RetryPolicy;
import io.rollingmigration.connect.common.config.TableNameValidator;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.lineage.SourceKey;
import io.rollingmigration.connect.common.normalize.ValueNormalizer;
import io.rollingmigration.connect.common.spec.IdName;
import io.rollingmigration.connect.common.spec.SpecException;
import io.rollingmigration.connect.common.spec.Uuid5;
import io.rollingmigration.connect.smt.record.RecordPart;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.cache.LRUCache;
import org.apache.kafka.common.cache.SynchronizedCache;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.Monitorable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Maps a legacy identifier to its target identifier and writes it into a field: deterministically (UUIDv5 of the
 * legacy key's canonical JSON, as the mapping spec's keys are made) or through an id-mapping table. A missing
 * mapping is an error or, if so configured, the deterministic id; never a silent null. In a Debezium change event
 * the id is added to both the before and after rows, so a later TranslateAggregate can key by it.
 */
public abstract class MapId<R extends ConnectRecord<R>> implements Transformation<R>, Versioned, Monitorable {

    public static final String OVERVIEW_DOC = "Adds the target id of a legacy key to a record: a UUIDv5 or a value "
            + "looked up in an id-mapping table over JDBC (cached with Caffeine).";

    interface ConfigName {
        String SOURCE_FIELDS = "source.fields";
        String TARGET_FIELD = "target.field";
        String MODE = "mode";
        String NAMESPACE = "uuid.namespace";
        String NAME = "uuid.name";
        String LOOKUP_TABLE = "lookup.table";
        String LOOKUP_LEGACY_COLUMN = "lookup.legacy.column";
        String LOOKUP_TARGET_COLUMN = "lookup.target.column";
        String CACHE_MAX_ENTRIES = "cache.max.entries";
        String CACHE_EXPIRE_MS = "cache.expire.ms";
        String MISSING = "missing";
    }

    /**
     * A lookup retries an unreachable mapping database on the task's thread, so its limit stays below the sink
     * consumer's max.poll.interval.ms (5 min by default), past which the worker would take the task's partitions away.
     */
    static final long RETRY_TIMEOUT_MS = 240_000;

    public static final ConfigDef CONFIG_DEF = RetryConfig.define(
            JdbcConnectionConfig.define(
                    new ConfigDef()
                            .define(
                                    ConfigName.SOURCE_FIELDS,
                                    ConfigDef.Type.LIST,
                                    ConfigDef.NO_DEFAULT_VALUE,
                                    ConfigDef.Importance.HIGH,
                                    "The legacy key fields. With one field its value is looked up; with several, the canonical JSON "
                                            + "of the key ({\"a\":1,\"b\":\"x\"}, fields sorted by name). uuid5 ids hash that "
                                            + "canonical JSON unless uuid.name says otherwise.")
                            .define(
                                    ConfigName.TARGET_FIELD,
                                    ConfigDef.Type.STRING,
                                    ConfigDef.NO_DEFAULT_VALUE,
                                    new ConfigDef.NonEmptyString(),
                                    ConfigDef.Importance.HIGH,
                                    "The field the target id is written into (added as an optional string if the schema lacks it).")
                            .define(
                                    ConfigName.MODE,
                                    ConfigDef.Type.STRING,
                                    "uuid5",
                                    ConfigDef.ValidString.in("uuid5", "lookup"),
                                    ConfigDef.Importance.HIGH,
                                    "'uuid5': a name-based UUID of the legacy key; 'lookup': the id-mapping "
                                            + "table.")
                            .define(
                                    ConfigName.NAMESPACE,
                                    ConfigDef.Type.STRING,
                                    null,
                                    new UuidValidator(),
                                    ConfigDef.Importance.MEDIUM,
                                    "The namespace UUID for uuid5 ids (required with mode=uuid5 or missing=fallback.uuid5), or one "
                                            + "of RFC 4122's by name: dns, url, oid, x500.")
                            .define(
                                    ConfigName.NAME,
                                    ConfigDef.Type.STRING,
                                    null,
                                    new NameValidator(),
                                    ConfigDef.Importance.MEDIUM,
                                    "The name uuid5 ids are made from, as a mapping-spec expression over the row (after), e.g. "
                                            + "'policy:' + string(after.pol_id): the same form as a spec key's uuid5.name, so an "
                                            + "existing id scheme is reproduced. Empty: the canonical JSON of source.fields.")
                            .define(
                                    ConfigName.LOOKUP_TABLE,
                                    ConfigDef.Type.STRING,
                                    null,
                                    new OptionalTableName(),
                                    ConfigDef.Importance.MEDIUM,
                                    "The id-mapping table, 'table' or 'schema.table' (mode=lookup).")
                            .define(
                                    ConfigName.LOOKUP_LEGACY_COLUMN,
                                    ConfigDef.Type.STRING,
                                    "legacy_id",
                                    ConfigDef.Importance.MEDIUM,
                                    "Its column holding the legacy id.")
                            .define(
                                    ConfigName.LOOKUP_TARGET_COLUMN,
                                    ConfigDef.Type.STRING,
                                    "target_id",
                                    ConfigDef.Importance.MEDIUM,
                                    "Its column holding the target id.")
                            .define(
                                    ConfigName.CACHE_MAX_ENTRIES,
                                    ConfigDef.Type.LONG,
                                    100_000L,
                                    ConfigDef.Range.atLeast(1),
                                    ConfigDef.Importance.LOW,
                                    "Looked-up ids kept in memory.")
                            .define(
                                    ConfigName.CACHE_EXPIRE_MS,
                                    ConfigDef.Type.LONG,
                                    600_000L,
                                    ConfigDef.Range.atLeast(0),
                                    ConfigDef.Importance.LOW,
                                    "How long a looked-up id (or its absence) is trusted, in milliseconds.")
                            .define(
                                    ConfigName.MISSING,
                                    ConfigDef.Type.STRING,
                                    "fail",
                                    ConfigDef.ValidString.in("fail", "fallback.uuid5"),
                                    ConfigDef.Importance.MEDIUM,
                                    "A legacy id without mapping: 'fail' (DataException naming the key and "
                                            + "the table, for errors.tolerance and the dead letter queue) or 'fallback.uuid5'."),
                    "lookup.",
                    "Lookup",
                    "the id-mapping database",
                    false),
            "Lookup",
            20,
            -1,
            1000L,
            RETRY_TIMEOUT_MS,
            "a lookup (mode=lookup)");

    private final RecordPart part;
    private List<String> sourceFields;
    private String targetField;
    private UUID namespace;
    private IdName name;
    private IdLookup lookup;
    private boolean fallback;
    private final Cache<Schema, Schema> schemas = new SynchronizedCache<>(new LRUCache<>(16));

    protected MapId(RecordPart part) {
        this.part = part;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        AbstractConfig config = new AbstractConfig(CONFIG_DEF, configs);
        sourceFields = config.getList(ConfigName.SOURCE_FIELDS);
        targetField = config.getString(ConfigName.TARGET_FIELD);
        String ns = config.getString(ConfigName.NAMESPACE);
        namespace = ns == null ? null : Uuid5.namespace(ns);
        String nameExpression = config.getString(ConfigName.NAME);
        name = nameExpression == null || nameExpression.isBlank()
                ? null
                : IdName.compile(nameExpression, ConfigName.NAME);
        fallback = "fallback.uuid5".equals(config.getString(ConfigName.MISSING));
        boolean lookupMode = "lookup".equals(config.getString(ConfigName.MODE));
        if ((!lookupMode || fallback) && namespace == null) {
            throw new ConfigException(ConfigName.NAMESPACE, null, "A namespace UUID is required for uuid5 ids");
        }
        if (lookupMode) {
            String table = config.getString(ConfigName.LOOKUP_TABLE);
            if (table == null || config.getString("lookup." + JdbcConnectionConfig.URL) == null) {
                throw new ConfigException(
                        ConfigName.LOOKUP_TABLE,
                        table,
                        "mode=lookup needs lookup.table and " + "lookup.connection.url");
            }
            lookup = new IdLookup(
                    JdbcConnectionConfig.from(config, "lookup."),
                    TableId.parse(table),
                    config.getString(ConfigName.LOOKUP_LEGACY_COLUMN),
                    config.getString(ConfigName.LOOKUP_TARGET_COLUMN),
                    config.getLong(ConfigName.CACHE_MAX_ENTRIES),
                    Duration.ofMillis(config.getLong(ConfigName.CACHE_EXPIRE_MS)),
                    RetryPolicy.Settings.from(config));
        }
    }

    @Override
    public R apply(R record) {
        Object value = part.value(record);
        if (value == null) {
            return record;
        }
        if (!(value instanceof Struct)) {
            throw new DataException("MapId needs a struct with a schema, not a "
                    + value.getClass().getSimpleName());
        }
        Struct struct = (Struct) value;
        if (ChangeEvent.isEnvelope(struct.schema())) {
            Schema schema = schemas.get(struct.schema());
            if (schema == null) {
                schema = envelopeWithTargetField(struct.schema());
                schemas.put(struct.schema(), schema);
            }
            Struct envelope = new Struct(schema);
            for (Field field : struct.schema().fields()) {
                Object part = struct.get(field);
                boolean row = (field.name().equals("before") || field.name().equals("after")) && part != null;
                envelope.put(
                        field.name(),
                        row
                                ? withTargetId(
                                        (Struct) part,
                                        schema.field(field.name()).schema())
                                : part);
            }
            return part.replace(record, schema, envelope);
        }
        Schema schema = schemas.get(struct.schema());
        if (schema == null) {
            schema = withTargetField(struct.schema());
            schemas.put(struct.schema(), schema);
        }
        return part.replace(record, schema, withTargetId(struct, schema));
    }

    private Struct withTargetId(Struct row, Schema schema) {
        Struct copy = new Struct(schema);
        for (Field field : row.schema().fields()) {
            copy.put(field.name(), row.get(field));
        }
        copy.put(targetField, targetId(row));
        return copy;
    }

    private String targetId(Struct row) {
        if (lookup == null && name != null) {
            return Uuid5.of(namespace, name.of(ValueNormalizer.row(row))).toString();
        }
        Map<String, Object> key = new LinkedHashMap<>();
        for (String name : sourceFields) {
            Field field = row.schema().field(name);
            if (field == null || row.get(field) == null) {
                throw new DataException("MapId: legacy key field '" + name + "' is "
                        + (field == null ? "not in the " + "record" : "null"));
            }
            key.put(name, ValueNormalizer.value(field.schema(), row.get(field)));
        }
        String canonical = SourceKey.of(key);
        if (lookup == null) {
            return Uuid5.of(namespace, canonical).toString();
        }
        Object legacyId = key.size() == 1 ? key.values().iterator().next() : canonical;
        return lookup.targetId(legacyId).orElseGet(() -> {
            if (fallback) {
                return Uuid5.of(namespace, name == null ? canonical : name.of(ValueNormalizer.row(row)))
                        .toString();
            }
            throw new DataException("MapId: no target id for legacy key " + canonical + " in the id-mapping table");
        });
    }

    private Schema withTargetField(Schema schema) {
        if (schema.field(targetField) != null) {
            return schema;
        }
        SchemaBuilder builder = SchemaBuilder.struct()
                .name(schema.name())
                .version(schema.version())
                .doc(schema.doc());
        if (schema.isOptional()) {
            builder.optional();
        }
        schema.fields().forEach(f -> builder.field(f.name(), f.schema()));
        return builder.field(targetField, Schema.OPTIONAL_STRING_SCHEMA).build();
    }

    private Schema envelopeWithTargetField(Schema envelope) {
        SchemaBuilder builder = SchemaBuilder.struct().name(envelope.name()).version(envelope.version());
        for (Field field : envelope.fields()) {
            boolean row = field.name().equals("before") || field.name().equals("after");
            builder.field(field.name(), row ? withTargetField(field.schema()) : field.schema());
        }
        return builder.build();
    }

    /** Publishes the lookup cache's hits, misses and size through Connect's plugin metrics. */
    @Override
    public void withPluginMetrics(PluginMetrics metrics) {
        metrics.addMetric(
                metrics.metricName("id-cache-hit-total", "Target ids answered from the cache", new LinkedHashMap<>()),
                (Gauge<Long>) (config, now) -> cacheStats().hitCount());
        metrics.addMetric(
                metrics.metricName(
                        "id-cache-miss-total", "Target ids read from the id-mapping table", new LinkedHashMap<>()),
                (Gauge<Long>) (config, now) -> cacheStats().missCount());
    }

    /** Hits and misses of the lookup cache (empty statistics in uuid5 mode). */
    public CacheStats cacheStats() {
        return lookup == null ? CacheStats.empty() : lookup.stats();
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
    public void close() {
        if (lookup != null) {
            lookup.close();
        }
    }

    static final class UuidValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return;
            }
            try {
                Uuid5.namespace(value.toString());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, "not a UUID, nor one of dns, url, oid, x500");
            }
        }
    }

    /** Compiles uuid.name at validation, so the REST validate call shows its errors on it. */
    static final class NameValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || value.toString().isBlank()) {
                return;
            }
            try {
                IdName.compile(value.toString(), name);
            } catch (SpecException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }
    }

    static final class OptionalTableName implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            new TableNameValidator().ensureValid(name, value);
        }
    }

    /** Works on the record key. */
    public static class Key<R extends ConnectRecord<R>> extends MapId<R> {
        public Key() {
            super(RecordPart.KEY);
        }
    }

    /** Works on the record value (or on a change event's before and after rows). */
    public static class Value<R extends ConnectRecord<R>> extends MapId<R> {
        public Value() {
            super(RecordPart.VALUE);
        }
    }
}
