package io.rollingmigration.connect.smt.translate;

import io.rollingmigration.connect.common.PluginVersion;
import io.rollingmigration.connect.common.change.ChangeEvent;
import io.rollingmigration.connect.common.change.SourceBlock;
import io.rollingmigration.connect.common.lineage.Operation;
import io.rollingmigration.connect.common.normalize.ValueNormalizer;
import io.rollingmigration.connect.common.spec.AggregateTranslator;
import io.rollingmigration.connect.common.spec.SpecCompiler;
import io.rollingmigration.connect.common.spec.SpecException;
import io.rollingmigration.connect.common.status.StatusConfig;
import io.rollingmigration.connect.common.status.StatusReport;
import io.rollingmigration.connect.smt.lineage.ChangeEventPolicy;
import io.rollingmigration.connect.smt.lineage.LineageStamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.metrics.Monitorable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * The anti-corruption layer in one transform: a Debezium change event in, one target aggregate out, as the mapping
 * spec says. The key becomes the target id, the value the aggregate struct (its schema built once from the spec),
 * a delete becomes a tombstone, and every record carries the lineage headers with the spec's rule.
 */
public class TranslateAggregate<R extends ConnectRecord<R>> implements Transformation<R>, Versioned, Monitorable {

    public static final String OVERVIEW_DOC = "Translates Debezium change events of a legacy table into one target "
            + "aggregate of a mapping spec: target key, aggregate value, tombstones for deletes, lineage headers.";

    interface ConfigName {
        String SPEC = "spec";
        String AGGREGATE = "aggregate";
        String STATUS_UNIT = "status.unit";
    }

    public static final ConfigDef CONFIG_DEF =
            ChangeEventPolicy.define(LineageStamp.definePositionOrder(new ConfigDef())
                    .define(
                            ConfigName.SPEC,
                            ConfigDef.Type.STRING,
                            ConfigDef.NO_DEFAULT_VALUE,
                            new SpecValidator(),
                            ConfigDef.Importance.HIGH,
                            "The mapping spec, YAML or JSON, inline or through a "
                                    + "ConfigProvider such as ${dir:/etc/migration/specs:customer-spec.yaml} (Kafka's DirectoryConfigProvider). Validated and "
                                    + "compiled when the connector config is validated; errors name their path in the spec.")
                    .define(
                            ConfigName.AGGREGATE,
                            ConfigDef.Type.STRING,
                            ConfigDef.NO_DEFAULT_VALUE,
                            new ConfigDef.NonEmptyString(),
                            ConfigDef.Importance.HIGH,
                            "Which aggregate of the spec this transform emits; one legacy table can feed several aggregates "
                                    + "(one connector or transform chain each).")
                    .define(
                            ConfigName.STATUS_UNIT,
                            ConfigDef.Type.STRING,
                            "",
                            ConfigDef.Importance.LOW,
                            "The migration unit this transform's status records are about, on the dashboard: the "
                                    + "sink's ownership.unit when it differs from the aggregate's name. Empty: the "
                                    + "aggregate's name.",
                            "Status",
                            0,
                            ConfigDef.Width.MEDIUM,
                            "Status unit"));

    static {
        StatusConfig.defineWithoutExitCriteria(
                CONFIG_DEF, "Status", 1, "no status records (set it to the Connect cluster's Kafka)");
    }

    private final LongSupplier clock;
    private AggregateTranslator translator;
    private LineageStamp stamp;
    private ChangeEventPolicy policy;
    private TranslationMetrics metrics;
    private StatusConfig.Settings statusSettings;
    private String statusUnit;
    private TranslationStatus status;

    public TranslateAggregate() {
        this(System::currentTimeMillis);
    }

    TranslateAggregate(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        AbstractConfig config = new AbstractConfig(CONFIG_DEF, configs);
        try {
            translator =
                    SpecCompiler.compile(config.getString(ConfigName.SPEC), config.getString(ConfigName.AGGREGATE));
        } catch (SpecException e) {
            String key = e.path().equals("aggregates") ? ConfigName.AGGREGATE : ConfigName.SPEC;
            throw new ConfigException(
                    key, key.equals(ConfigName.AGGREGATE) ? config.getString(key) : "(spec)", e.getMessage());
        }
        stamp = new LineageStamp(translator.rule(), List.of(), LineageStamp.positionOrder(config), clock);
        policy = ChangeEventPolicy.from(config);
        statusSettings = StatusConfig.from(config, null, null);
        String unit = config.getString(ConfigName.STATUS_UNIT).trim();
        statusUnit = unit.isEmpty() ? translator.name() : unit;
    }

    /**
     * Connect gives a transform its own settings only; the plugin metrics it gives next carry the connector's name
     * and the task's number, which its status records are keyed by.
     */
    @Override
    public void withPluginMetrics(PluginMetrics pluginMetrics) {
        this.metrics = new TranslationMetrics(pluginMetrics);
        if (statusSettings != null && status == null) {
            Map<String, String> tags = metrics.tags();
            String connector = tags.get("connector");
            String task = tags.get("task");
            if (connector != null && task != null && task.matches("\\d+")) {
                status = TranslationStatus.publish(statusSettings, connector, Integer.parseInt(task), statusUnit);
            }
        }
    }

    @Override
    public R apply(R record) {
        long started = System.nanoTime();
        try {
            R translated = translate(record);
            if (metrics != null) {
                if (translated == null) {
                    metrics.dropped();
                } else {
                    metrics.translated(System.nanoTime() - started);
                }
            }
            if (status != null) {
                if (translated == null) {
                    status.dropped();
                } else {
                    status.translated();
                }
            }
            return translated;
        } catch (DataException e) {
            if (metrics != null) {
                metrics.failed();
            }
            if (status != null) {
                status.failed(e);
            }
            throw e;
        }
    }

    private R translate(R record) {
        if (record.value() == null) {
            return policy.sourceTombstone(record);
        }
        ChangeEvent event = ChangeEvent.read(record.valueSchema(), record.value());
        if (policy.dropsRowlessEvent(event, "translate with " + translator.rule())) {
            return null;
        }
        Operation operation = event.operation();
        Map<String, Object> after = ValueNormalizer.row(event.after());
        Map<String, Object> before = ValueNormalizer.row(event.before());
        Map<String, Object> state = operation.carriesRowState() ? after : before;
        if (state.isEmpty() && record.key() instanceof Struct) {
            state = ValueNormalizer.row((Struct) record.key());
        }
        String targetId = translator.targetId(state);
        Struct key = translator.key(targetId);
        String topic = translator.topic() == null ? record.topic() : translator.topic();
        R out;
        if (operation.carriesRowState()) {
            // The source block is only read by expressions; most records need none of it.
            Map<String, Object> source = translator.needsContext() ? source(event) : Map.of();
            Struct value = translator.translate(targetId, after, before, source, operation.code());
            out = record.newRecord(
                    topic,
                    record.kafkaPartition(),
                    translator.keySchema(),
                    key,
                    translator.valueSchema(),
                    value,
                    record.timestamp(),
                    record.headers().duplicate());
            // Status records start only with plugin metrics, which name their connector and task.
            if (metrics != null) {
                for (String column : translator.droppedValues(after)) {
                    metrics.semanticLoss(column);
                    if (status != null) {
                        status.semanticLoss(column);
                    }
                }
            }
        } else {
            out = record.newRecord(
                    topic,
                    record.kafkaPartition(),
                    translator.keySchema(),
                    key,
                    null,
                    null,
                    record.timestamp(),
                    record.headers().duplicate());
        }
        stamp.stamp(out.headers(), event, record.key());
        return out;
    }

    private Map<String, Object> source(ChangeEvent event) {
        SourceBlock source = event.source();
        Map<String, Object> values = new HashMap<>(8);
        values.put("system", source.system());
        values.put("table", source.table());
        values.put("snapshot", source.snapshotMarker());
        stamp.position(event).ifPresent(p -> values.put("position", p));
        source.commitTimeMillis().ifPresent(t -> values.put("committed_at", t));
        return values;
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public String version() {
        return PluginVersion.get();
    }

    /** The status report of the interval that ends now; {@code null} when it publishes none. For tests. */
    StatusReport statusReport(long now) {
        return status == null ? null : status.report(now);
    }

    @Override
    public void close() {
        if (status != null) {
            status.close();
            status = null;
        }
    }

    /** Parses and compiles the spec at validation time, so the REST validate call shows its errors on 'spec'. */
    static final class SpecValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return; // ConfigDef reports a missing required key itself
            }
            try {
                SpecCompiler.compile(value.toString());
            } catch (SpecException e) {
                throw new ConfigException(name, "(mapping spec)", e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "a mapping spec in YAML or JSON (see docs/mapping-spec.md)";
        }
    }
}
