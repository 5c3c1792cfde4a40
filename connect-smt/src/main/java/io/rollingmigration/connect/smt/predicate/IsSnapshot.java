package io.rollingmigration.connect.smt.predicate;

import io.rollingmigration.connect.common.PluginVersion;
import io.rollingmigration.connect.common.change.ChangeEvent;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.transforms.predicates.Predicate;

/**
 * True for Debezium snapshot reads (the backfill), false for streamed changes and for anything that is not a change
 * event, such as tombstones. Lets operators treat backfill and live traffic differently in one chain.
 */
public class IsSnapshot<R extends ConnectRecord<R>> implements Predicate<R>, Versioned {

    public static final ConfigDef CONFIG_DEF = new ConfigDef();

    @Override
    public boolean test(R record) {
        return record.value() != null
                && ChangeEvent.isEnvelope(record.valueSchema())
                && ChangeEvent.read(record.valueSchema(), record.value())
                        .source()
                        .isSnapshot();
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public void configure(Map<String, ?> configs) {}

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    public void close() {}
}
