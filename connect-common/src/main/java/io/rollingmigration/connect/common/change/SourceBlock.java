package io.rollingmigration.connect.common.change;

import java.util.OptionalLong;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * The {@code source} block of a Debezium change event: where the change came from and where it sits in the legacy
 * database's log.
 */
public final class SourceBlock {

    private final Struct source;

    SourceBlock(Struct source) {
        this.source = source;
    }

    /** The connector's logical name ({@code source.name}): which legacy system the change came from. */
    public String system() {
        return string("name");
    }

    /** {@code schema.table} for PostgreSQL, {@code db.table} for MySQL/MariaDB. */
    public String table() {
        String container = string("schema");
        if (container == null) {
            container = string("db");
        }
        String table = string("table");
        return container == null ? table : container + "." + table;
    }

    /** Commit time of the change in the legacy database, epoch milliseconds. */
    public OptionalLong commitTimeMillis() {
        Object ts = value("ts_ms");
        return ts instanceof Number ? OptionalLong.of(((Number) ts).longValue()) : OptionalLong.empty();
    }

    /**
     * Debezium's snapshot marker: {@code "false"} for a streamed change, else one of {@code true}, {@code first},
     * {@code first_in_data_collection}, {@code last_in_data_collection}, {@code last}, {@code incremental}.
     */
    public String snapshotMarker() {
        Object marker = value("snapshot");
        return marker == null ? "false" : marker.toString();
    }

    public boolean isSnapshot() {
        return !"false".equals(snapshotMarker());
    }

    /** The change's position in the legacy log as a monotonically increasing number, if the connector reports one. */
    public OptionalLong position() {
        return SourcePosition.of(source);
    }

    /**
     * The id of the change's transaction in the database that committed it: PostgreSQL's {@code txId} (the low 32
     * bits of {@code txid_current()}), if the connector reports one.
     */
    public OptionalLong transactionId() {
        Object id = value("txId");
        return id instanceof Number number ? OptionalLong.of(number.longValue()) : OptionalLong.empty();
    }

    /** The MySQL/MariaDB GTID of the change's transaction ({@code source.gtid}), or {@code null}. */
    public String gtid() {
        return string("gtid");
    }

    public Struct struct() {
        return source;
    }

    private String string(String name) {
        Object value = value(name);
        return value == null ? null : value.toString();
    }

    private Object value(String name) {
        Field field = source.schema().field(name);
        return field == null ? null : source.get(field);
    }
}
