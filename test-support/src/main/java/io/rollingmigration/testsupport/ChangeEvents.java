package io.rollingmigration.testsupport;

import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Change events of one legacy table shaped as the Debezium connectors emit them (JSON or Avro alike, before the
 * converter): a key struct of the key columns, the envelope with before, after, source, op and ts_ms, and the
 * PostgreSQL or MySQL source block. Tests and benchmarks build their events here so that every one of them sees
 * the same shape.
 */
public final class ChangeEvents {

    /** Where the events' source blocks say the legacy transaction committed, unless a caller sets ts_ms. */
    public static final long COMMITTED_MS = 1_700_000_000_000L;

    public static final Schema POSTGRES_SOURCE = SchemaBuilder.struct()
            .name("io.debezium.connector.postgresql.Source")
            .field("version", Schema.STRING_SCHEMA)
            .field("connector", Schema.STRING_SCHEMA)
            .field("name", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA)
            .field(
                    "snapshot",
                    SchemaBuilder.string().optional().defaultValue("false").build())
            .field("db", Schema.STRING_SCHEMA)
            .field("sequence", Schema.OPTIONAL_STRING_SCHEMA)
            .field("schema", Schema.STRING_SCHEMA)
            .field("table", Schema.STRING_SCHEMA)
            .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
            .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .field("xmin", Schema.OPTIONAL_INT64_SCHEMA)
            .build();

    public static final Schema MYSQL_SOURCE = SchemaBuilder.struct()
            .name("io.debezium.connector.mysql.Source")
            .field("version", Schema.STRING_SCHEMA)
            .field("connector", Schema.STRING_SCHEMA)
            .field("name", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA)
            .field(
                    "snapshot",
                    SchemaBuilder.string().optional().defaultValue("false").build())
            .field("db", Schema.STRING_SCHEMA)
            .field("table", Schema.OPTIONAL_STRING_SCHEMA)
            .field("server_id", Schema.INT64_SCHEMA)
            .field("gtid", Schema.OPTIONAL_STRING_SCHEMA)
            .field("file", Schema.STRING_SCHEMA)
            .field("pos", Schema.INT64_SCHEMA)
            .field("row", Schema.INT32_SCHEMA)
            .build();

    /** Debezium's transaction block, present when the connector has {@code provide.transaction.metadata=true}. */
    public static final Schema TRANSACTION = SchemaBuilder.struct()
            .name("event.block")
            .optional()
            .field("id", Schema.STRING_SCHEMA)
            .field("total_order", Schema.INT64_SCHEMA)
            .field("data_collection_order", Schema.INT64_SCHEMA)
            .build();

    private static final String VERSION = "3.6.1.Final";

    private final String server;
    private final String topic;
    private final Schema row;
    private final Schema key;
    private final Schema envelope;

    private ChangeEvents(String server, String topic, Schema row, Schema key, Schema envelope) {
        this.server = server;
        this.topic = topic;
        this.row = row;
        this.key = key;
        this.envelope = envelope;
    }

    /**
     * The events of {@code schema.table} on the connector named {@code server} (its topic prefix).
     *
     * @param row       the table's row schema, optional as Debezium makes it (name it {@link #rowName})
     * @param source    {@link #POSTGRES_SOURCE} or {@link #MYSQL_SOURCE}
     * @param keyFields the key columns, fields of {@code row}
     */
    public static ChangeEvents of(
            String server, String schema, String table, Schema row, Schema source, String... keyFields) {
        String topic = server + "." + schema + "." + table;
        SchemaBuilder key = SchemaBuilder.struct().name(topic + ".Key");
        for (String name : keyFields) {
            Field field = row.field(name);
            if (field == null) {
                throw new IllegalArgumentException("Key field '" + name + "' is not a field of " + row.name());
            }
            key.field(name, field.schema());
        }
        Schema envelope = SchemaBuilder.struct()
                .name(topic + ".Envelope")
                .field("before", row)
                .field("after", row)
                .field("source", source)
                .field("op", Schema.STRING_SCHEMA)
                .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
                .field("transaction", TRANSACTION)
                .build();
        return new ChangeEvents(server, topic, row, key.build(), envelope);
    }

    /** The name Debezium gives the row schema of {@code server.schema.table}. */
    public static String rowName(String server, String schema, String table) {
        return server + "." + schema + "." + table + ".Value";
    }

    public String topic() {
        return topic;
    }

    public Schema row() {
        return row;
    }

    public Schema key() {
        return key;
    }

    public Schema envelope() {
        return envelope;
    }

    /** A PostgreSQL source block of this table at {@code lsn}, not part of a snapshot. */
    public Struct postgresSource(long lsn) {
        String[] parts = topic.split("\\.");
        return new Struct(POSTGRES_SOURCE)
                .put("version", VERSION)
                .put("connector", "postgresql")
                .put("name", server)
                .put("ts_ms", COMMITTED_MS)
                .put("db", server)
                .put("schema", parts[1])
                .put("table", parts[2])
                .put("txId", 771L)
                .put("lsn", lsn)
                .put("sequence", "[null,\"" + lsn + "\"]");
    }

    /** A MySQL source block of this table at a binlog position. */
    public Struct mysqlSource(String file, long pos) {
        return new Struct(MYSQL_SOURCE)
                .put("version", VERSION)
                .put("connector", "mysql")
                .put("name", server)
                .put("ts_ms", COMMITTED_MS)
                .put("db", server)
                .put("table", topic.substring(topic.lastIndexOf('.') + 1))
                .put("server_id", 1L)
                .put("file", file)
                .put("pos", pos)
                .put("row", 0);
    }

    /** The transaction block of the {@code totalOrder}-th change (from 1) of transaction {@code id}. */
    public static Struct transaction(String id, long totalOrder) {
        return new Struct(TRANSACTION)
                .put("id", id)
                .put("total_order", totalOrder)
                .put("data_collection_order", totalOrder);
    }

    /** The change record of {@code op} ('c', 'u', 'd', 'r'), keyed by the key columns of the row it holds. */
    /** A change event as a sink task receives it: partition 0 of its topic, at {@code offset}. */
    public static SinkRecord delivered(SourceRecord record, long offset) {
        return new SinkRecord(
                record.topic(), 0, record.keySchema(), record.key(), record.valueSchema(), record.value(), offset);
    }

    public SourceRecord change(String op, Struct before, Struct after, Struct source) {
        return change(op, before, after, source, null);
    }

    /** A change record that carries its transaction block, or none if {@code transaction} is {@code null}. */
    public SourceRecord change(String op, Struct before, Struct after, Struct source, Struct transaction) {
        Struct value = new Struct(envelope)
                .put("transaction", transaction)
                .put("before", before)
                .put("after", after)
                .put("source", source)
                .put("op", op)
                .put("ts_ms", source.getInt64("ts_ms") + 500);
        Struct image = after != null ? after : before;
        Struct keyValue = new Struct(key);
        for (Field field : key.fields()) {
            keyValue.put(field.name(), image.get(field.name()));
        }
        return new SourceRecord(Map.of("server", server), Map.of("lsn", 1L), topic, 0, key, keyValue, envelope, value);
    }
}
