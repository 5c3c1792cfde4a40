package io.rollingmigration.connect.smt.lineage;

import io.rollingmigration.connect.common.change.ChangeEvent;
import io.rollingmigration.connect.common.lineage.Operation;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.errors.DataException;

/**
 * What a transform does with the records of a Debezium topic that carry no row: Debezium's own tombstones, and
 * truncate and message events. Shared by every transform that consumes change events, so they behave alike.
 */
public final class ChangeEventPolicy {

    public static final String SOURCE_TOMBSTONES = "source.tombstones";
    public static final String UNSUPPORTED_OPERATIONS = "unsupported.operations";
    static final String DROP = "drop";
    static final String KEEP = "keep";
    static final String FAIL = "fail";

    private final boolean keepSourceTombstones;
    private final boolean dropUnsupported;

    private ChangeEventPolicy(boolean keepSourceTombstones, boolean dropUnsupported) {
        this.keepSourceTombstones = keepSourceTombstones;
        this.dropUnsupported = dropUnsupported;
    }

    /** Adds the two settings to a transform's config. */
    public static ConfigDef define(ConfigDef def) {
        return def.define(
                        SOURCE_TOMBSTONES,
                        ConfigDef.Type.STRING,
                        DROP,
                        ConfigDef.ValidString.in(DROP, KEEP),
                        ConfigDef.Importance.LOW,
                        "What to do with Debezium's own tombstones (the null value it emits after a delete for log "
                                + "compaction): 'drop' (the delete event itself already became a versioned "
                                + "tombstone, and these carry no source position) or 'keep' (pass them on unchanged).")
                .define(
                        UNSUPPORTED_OPERATIONS,
                        ConfigDef.Type.STRING,
                        FAIL,
                        ConfigDef.ValidString.in(FAIL, DROP),
                        ConfigDef.Importance.LOW,
                        "What to do with truncate ('t') and message ('m') events, which describe no row: 'fail' (a "
                                + "DataException, routed by errors.tolerance and the dead letter queue) or 'drop'.");
    }

    public static ChangeEventPolicy from(AbstractConfig config) {
        return new ChangeEventPolicy(
                KEEP.equals(config.getString(SOURCE_TOMBSTONES)),
                DROP.equals(config.getString(UNSUPPORTED_OPERATIONS)));
    }

    /** The record to emit for a Debezium tombstone: itself, or {@code null} to drop it. */
    public <R extends ConnectRecord<R>> R sourceTombstone(R record) {
        return keepSourceTombstones ? record : null;
    }

    /**
     * True if the event describes no row and is dropped on purpose; fails with a {@link DataException} naming it if
     * such events are to fail.
     */
    public boolean dropsRowlessEvent(ChangeEvent event, String doing) {
        Operation operation = event.operation();
        if (operation != Operation.TRUNCATE && operation != Operation.MESSAGE) {
            return false;
        }
        if (dropUnsupported) {
            return true;
        }
        throw new DataException(
                "Debezium " + operation + " event from " + event.source().table() + " describes no " + "row to " + doing
                        + "; set unsupported.operations=drop to skip such events on purpose");
    }
}
