package io.rollingmigration.connect.smt.lineage;

import io.rollingmigration.connect.common.change.ChangeEvent;
import io.rollingmigration.connect.common.change.PositionOrder;
import io.rollingmigration.connect.common.change.SourceBlock;
import io.rollingmigration.connect.common.lineage.Lineage;
import io.rollingmigration.connect.common.lineage.Lineage.Field;
import io.rollingmigration.connect.common.lineage.SourceKey;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Headers;

/**
 * Writes the lineage headers of one change event onto a record's headers, replacing any earlier values, so every
 * record tells which legacy row, under which rule, produced it and when.
 */
public final class LineageStamp {

    private final String rule;
    private final List<String> keyFields;
    private final PositionOrder order;
    private final LongSupplier clock;

    /**
     * @param rule      the rule that produced the record, {@code spec-name@version}
     * @param keyFields legacy key fields to read from the row when the record has no key; empty if none
     * @param order     what the source position, the version the sink guards on, is made of
     * @param clock     the translation time in epoch milliseconds
     */
    public LineageStamp(String rule, List<String> keyFields, PositionOrder order, LongSupplier clock) {
        this.rule = rule;
        this.keyFields = List.copyOf(keyFields);
        this.order = order;
        this.clock = clock;
    }

    public static final String RULE = "rule";
    public static final String KEY_FIELDS = "key.fields";
    public static final String POSITION_ORDER = "position.order";

    /** Adds the {@code position.order} setting: what orders the versions of a legacy row. */
    public static ConfigDef definePositionOrder(ConfigDef def) {
        return def.define(
                POSITION_ORDER,
                ConfigDef.Type.STRING,
                "log",
                ConfigDef.CaseInsensitiveValidString.in("log", "gtid"),
                ConfigDef.Importance.LOW,
                "What the lineage.source.position header, the version the sink guards on, is made of. 'log': the "
                        + "change's place in the legacy server's log (PostgreSQL LSN; MySQL/MariaDB binlog file and "
                        + "offset, which start again on another server). 'gtid' (MariaDB): the transaction's GTID "
                        + "sequence number and the change's order within it, which a replica promoted by a failover "
                        + "continues; needs provide.transaction.metadata=true on the Debezium connector and one "
                        + "replication domain. Choose before the backfill: the two do not compare with each other.");
    }

    /** The order named by the {@code position.order} setting of a config that {@link #definePositionOrder} made. */
    public static PositionOrder positionOrder(AbstractConfig config) {
        return PositionOrder.named(config.getString(POSITION_ORDER));
    }

    /** The position of {@code event} in the configured order; empty if its source block has none. */
    public OptionalLong position(ChangeEvent event) {
        return order.of(event);
    }

    /** Adds the settings of a transform that stamps lineage: the rule and, for keyless records, the key fields. */
    public static ConfigDef define(ConfigDef def) {
        return definePositionOrder(def)
                .define(
                        RULE,
                        ConfigDef.Type.STRING,
                        "identity@1",
                        new ConfigDef.NonEmptyString(),
                        ConfigDef.Importance.MEDIUM,
                        "The rule that produced the records, as 'name@version'; stamped as the lineage.rule header "
                                + "and kept in the target row's lineage_rule column.")
                .define(
                        KEY_FIELDS,
                        ConfigDef.Type.LIST,
                        List.of(),
                        ConfigDef.Importance.LOW,
                        "Legacy key columns to read from the row when a record has no key (a table without "
                                + "primary key captured with a message key of its own). Empty: the record key is "
                                + "required.");
    }

    /** A stamp from the settings {@link #define} added. */
    public static LineageStamp from(AbstractConfig config, LongSupplier clock) {
        return new LineageStamp(config.getString(RULE), config.getList(KEY_FIELDS), positionOrder(config), clock);
    }

    /** Stamps {@code headers} for {@code event}, whose legacy key is {@code key} (a Struct, or null). */
    public void stamp(Headers headers, ChangeEvent event, Object key) {
        SourceBlock source = event.source();
        OptionalLong position = order.of(event);
        if (position.isEmpty()) {
            throw new DataException("Change event from " + source.table() + " has no source position (no 'lsn', "
                    + "no 'file'/'pos' in its source block); the sink cannot order its versions");
        }
        put(headers, Field.SOURCE_SYSTEM, source.system());
        put(headers, Field.SOURCE_TABLE, source.table());
        put(headers, Field.SOURCE_KEY, sourceKey(event, key));
        headers.remove(Field.SOURCE_POSITION.header())
                .add(LineageHeader.number(Field.SOURCE_POSITION.header(), position.getAsLong()));
        OptionalLong committed = source.commitTimeMillis();
        headers.remove(Field.SOURCE_COMMIT_TIME.header());
        if (committed.isPresent()) {
            headers.add(LineageHeader.number(Field.SOURCE_COMMIT_TIME.header(), committed.getAsLong()));
        }
        put(headers, Field.OPERATION, event.operation().name());
        put(headers, Field.SNAPSHOT, source.snapshotMarker());
        put(headers, Field.RULE, rule);
        headers.remove(Field.TRANSLATED_AT.header())
                .add(LineageHeader.number(Field.TRANSLATED_AT.header(), clock.getAsLong()));
        OptionalLong transaction = source.transactionId();
        headers.remove(Lineage.SOURCE_TRANSACTION_HEADER);
        if (transaction.isPresent()) {
            headers.add(LineageHeader.number(Lineage.SOURCE_TRANSACTION_HEADER, transaction.getAsLong()));
        }
    }

    private String sourceKey(ChangeEvent event, Object key) {
        if (key instanceof Struct struct) {
            return SourceKey.of(struct);
        }
        if (key == null && !keyFields.isEmpty()) {
            Struct row = event.rowState();
            if (row == null) {
                throw new DataException("Change event from " + event.source().table() + " has no key and no row "
                        + "state to read key fields " + keyFields + " from");
            }
            return SourceKey.of(row, keyFields);
        }
        throw new DataException("Change event from " + event.source().table() + " has "
                + (key == null ? "no key" : "a key of type " + key.getClass().getSimpleName() + ", not a Struct")
                + "; set key.fields to name the legacy key columns in the row");
    }

    private static void put(Headers headers, Field field, String value) {
        headers.remove(field.header()).add(LineageHeader.text(field.header(), value));
    }
}
