package io.rollingmigration.connect.smt.lineage;

import io.rollingmigration.connect.common.PluginVersion;
import io.rollingmigration.connect.common.change.ChangeEvent;
import io.rollingmigration.connect.common.lineage.Operation;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Turns a Debezium change event into the row it describes, stamped with lineage: the state after the change for
 * snapshot reads, inserts and updates, and a tombstone for deletes, each carrying the {@code lineage.*} headers
 * (among them the source position that the sink orders versions by).
 */
public class ExtractRowWithLineage<R extends ConnectRecord<R>> implements Transformation<R>, Versioned {

    public static final String OVERVIEW_DOC = "Replaces a Debezium change event by the row state it describes (the "
            + "'after' struct; a tombstone for deletes) and stamps lineage headers: source system, table, key, "
            + "position, commit time, operation, snapshot marker, rule and translation time.";

    public static final ConfigDef CONFIG_DEF = ChangeEventPolicy.define(LineageStamp.define(new ConfigDef()));

    private final LongSupplier clock;
    private LineageStamp stamp;
    private ChangeEventPolicy policy;

    public ExtractRowWithLineage() {
        this(System::currentTimeMillis);
    }

    ExtractRowWithLineage(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        AbstractConfig config = new AbstractConfig(CONFIG_DEF, configs);
        stamp = LineageStamp.from(config, clock);
        policy = ChangeEventPolicy.from(config);
    }

    @Override
    public R apply(R record) {
        if (record.value() == null) {
            return policy.sourceTombstone(record);
        }
        ChangeEvent event = ChangeEvent.read(record.valueSchema(), record.value());
        if (policy.dropsRowlessEvent(event, "extract")) {
            return null;
        }
        Operation operation = event.operation();
        R row;
        if (operation.carriesRowState()) {
            if (event.after() == null) {
                throw new DataException(
                        operation + " event from " + event.source().table() + " has no 'after' state");
            }
            row = record.newRecord(
                    record.topic(),
                    record.kafkaPartition(),
                    record.keySchema(),
                    record.key(),
                    event.after().schema(),
                    event.after(),
                    record.timestamp(),
                    record.headers().duplicate());
        } else {
            row = record.newRecord(
                    record.topic(),
                    record.kafkaPartition(),
                    record.keySchema(),
                    record.key(),
                    null,
                    null,
                    record.timestamp(),
                    record.headers().duplicate());
        }
        Headers headers = row.headers();
        stamp.stamp(headers, event, record.key());
        return row;
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
}
