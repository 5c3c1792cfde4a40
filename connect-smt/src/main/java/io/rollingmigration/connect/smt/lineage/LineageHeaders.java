package io.rollingmigration.connect.smt.lineage;

import io.rollingmigration.connect.common.PluginVersion;
import io.rollingmigration.connect.common.change.ChangeEvent;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Stamps the lineage headers onto a Debezium change event and leaves the record otherwise as it is, for users who
 * keep their own transform chain: put it first in the chain, while the record is still a change event.
 */
public class LineageHeaders<R extends ConnectRecord<R>> implements Transformation<R>, Versioned {

    public static final String OVERVIEW_DOC = "Adds the lineage headers (source system, table, key, position, commit "
            + "time, operation, snapshot marker, rule, translation time) to Debezium change events; the key and "
            + "value are unchanged. Tombstones pass through unchanged.";

    public static final ConfigDef CONFIG_DEF = LineageStamp.define(new ConfigDef());

    private LineageStamp stamp;

    @Override
    public void configure(Map<String, ?> configs) {
        AbstractConfig config = new AbstractConfig(CONFIG_DEF, configs);
        stamp = LineageStamp.from(config, System::currentTimeMillis);
    }

    @Override
    public R apply(R record) {
        if (record.value() == null) {
            return record;
        }
        ChangeEvent event = ChangeEvent.read(record.valueSchema(), record.value());
        R stamped = record.newRecord(
                record.topic(),
                record.kafkaPartition(),
                record.keySchema(),
                record.key(),
                record.valueSchema(),
                record.value(),
                record.timestamp(),
                record.headers().duplicate());
        stamp.stamp(stamped.headers(), event, record.key());
        return stamped;
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
