package io.rollingmigration.connect.smt.lineage;

import java.math.BigDecimal;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/** Change events shaped as the Debezium PostgreSQL (and MySQL) connectors emit them. */
final class DebeziumEvents {

    static final Schema KEY = SchemaBuilder.struct()
            .name("legacy.public.customer.Key")
            .field("id", Schema.INT64_SCHEMA)
            .build();
    static final Schema ROW = SchemaBuilder.struct()
            .name("legacy.public.customer.Value")
            .optional()
            .field("id", Schema.INT64_SCHEMA)
            .field("name", Schema.STRING_SCHEMA)
            .field("balance", Decimal.builder(2).build())
            .build();
    static final Schema POSTGRES_SOURCE = SchemaBuilder.struct()
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
    static final Schema MYSQL_SOURCE = SchemaBuilder.struct()
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
            .field("file", Schema.STRING_SCHEMA)
            .field("pos", Schema.INT64_SCHEMA)
            .field("row", Schema.INT32_SCHEMA)
            .build();

    private DebeziumEvents() {}

    static Schema envelope(Schema source) {
        return SchemaBuilder.struct()
                .name("legacy.public.customer.Envelope")
                .field("before", ROW)
                .field("after", ROW)
                .field("source", source)
                .field("op", Schema.STRING_SCHEMA)
                .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
                .build();
    }

    static Struct row(long id, String name, String balance) {
        return new Struct(ROW).put("id", id).put("name", name).put("balance", new BigDecimal(balance));
    }

    static Struct postgresSource(long lsn, String snapshot) {
        Struct source = new Struct(POSTGRES_SOURCE)
                .put("version", "3.4.0.Final")
                .put("connector", "postgresql")
                .put("name", "legacy")
                .put("ts_ms", 1_700_000_000_000L)
                .put("db", "legacy")
                .put("schema", "public")
                .put("table", "customer")
                .put("txId", 771L)
                .put("lsn", lsn)
                .put("xmin", null)
                .put("sequence", "[null,\"" + lsn + "\"]");
        if (snapshot != null) {
            source.put("snapshot", snapshot);
        }
        return source;
    }

    static Struct mysqlSource(String file, long pos) {
        return new Struct(MYSQL_SOURCE)
                .put("version", "3.4.0.Final")
                .put("connector", "mysql")
                .put("name", "shop")
                .put("ts_ms", 1_700_000_000_000L)
                .put("db", "shop")
                .put("table", "customer")
                .put("server_id", 1L)
                .put("file", file)
                .put("pos", pos)
                .put("row", 0);
    }

    static SourceRecord postgres(String op, Struct before, Struct after, long lsn, String snapshot) {
        return record(op, before, after, postgresSource(lsn, snapshot));
    }

    static SourceRecord record(String op, Struct before, Struct after, Struct source) {
        Schema envelope = envelope(source.schema());
        Struct value = new Struct(envelope)
                .put("before", before)
                .put("after", after)
                .put("source", source)
                .put("op", op)
                .put("ts_ms", 1_700_000_000_500L);
        long id = (after != null ? after : before).getInt64("id");
        return new SourceRecord(
                Map.of("server", "legacy"),
                Map.of("lsn", 1L),
                "legacy.public.customer",
                0,
                KEY,
                new Struct(KEY).put("id", id),
                envelope,
                value);
    }
}
