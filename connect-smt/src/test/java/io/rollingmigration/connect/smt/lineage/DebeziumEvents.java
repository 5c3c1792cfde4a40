package io.rollingmigration.connect.smt.lineage;

import io.rollingmigration.testsupport.ChangeEvents;
import java.math.BigDecimal;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/** Change events of a small customer table, as the Debezium PostgreSQL and MySQL connectors emit them. */
final class DebeziumEvents {

    static final Schema ROW = SchemaBuilder.struct()
            .name(ChangeEvents.rowName("legacy", "public", "customer"))
            .optional()
            .field("id", Schema.INT64_SCHEMA)
            .field("name", Schema.STRING_SCHEMA)
            .field("balance", Decimal.builder(2).build())
            .build();
    static final Schema POSTGRES_SOURCE = ChangeEvents.POSTGRES_SOURCE;

    private static final ChangeEvents POSTGRES =
            ChangeEvents.of("legacy", "public", "customer", ROW, ChangeEvents.POSTGRES_SOURCE, "id");
    private static final ChangeEvents MYSQL =
            ChangeEvents.of("shop", "shop", "customer", ROW, ChangeEvents.MYSQL_SOURCE, "id");
    static final Schema KEY = POSTGRES.key();

    private DebeziumEvents() {}

    static Schema envelope(Schema source) {
        return source == ChangeEvents.MYSQL_SOURCE ? MYSQL.envelope() : POSTGRES.envelope();
    }

    static Struct row(long id, String name, String balance) {
        return new Struct(ROW).put("id", id).put("name", name).put("balance", new BigDecimal(balance));
    }

    static Struct postgresSource(long lsn, String snapshot) {
        Struct source = POSTGRES.postgresSource(lsn);
        if (snapshot != null) {
            source.put("snapshot", snapshot);
        }
        return source;
    }

    static Struct mysqlSource(String file, long pos) {
        return MYSQL.mysqlSource(file, pos);
    }

    static SourceRecord postgres(String op, Struct before, Struct after, long lsn, String snapshot) {
        return record(op, before, after, postgresSource(lsn, snapshot));
    }

    static SourceRecord record(String op, Struct before, Struct after, Struct source) {
        return (source.schema() == ChangeEvents.MYSQL_SOURCE ? MYSQL : POSTGRES).change(op, before, after, source);
    }
}
