package io.rollingmigration.benchmarks.smt;

import io.rollingmigration.testsupport.ChangeEvents;
import java.math.BigDecimal;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/** A realistic Debezium PostgreSQL change event of a 20-column legacy table, with decimals and timestamps. */
public final class CustomerEnvelope {

    static final Schema ROW;

    static {
        SchemaBuilder row = SchemaBuilder.struct()
                .name(ChangeEvents.rowName("legacy", "public", "customer"))
                .optional()
                .field("id", Schema.INT64_SCHEMA)
                .field("cust_type", Schema.STRING_SCHEMA)
                .field("first_name", Schema.OPTIONAL_STRING_SCHEMA)
                .field("last_name", Schema.OPTIONAL_STRING_SCHEMA)
                .field("status", Schema.STRING_SCHEMA)
                .field("balance", Decimal.builder(2).build())
                .field("credit_limit", Decimal.builder(2).build())
                .field(
                        "created_at",
                        SchemaBuilder.int64()
                                .name("io.debezium.time.MicroTimestamp")
                                .build())
                .field(
                        "updated_at",
                        SchemaBuilder.int64()
                                .name("io.debezium.time.MicroTimestamp")
                                .build())
                .field("fax", Schema.OPTIONAL_STRING_SCHEMA)
                .field("email", Schema.OPTIONAL_STRING_SCHEMA)
                .field("region", Schema.STRING_SCHEMA);
        for (int i = 1; i <= 8; i++) {
            row.field("attr" + i, Schema.OPTIONAL_STRING_SCHEMA);
        }
        ROW = row.build();
    }

    static final ChangeEvents EVENTS =
            ChangeEvents.of("legacy", "public", "customer", ROW, ChangeEvents.POSTGRES_SOURCE, "id");

    /**
     * The spec for our transform: the same job the stock chain below does, and what it cannot do: typed columns,
     * a name-based UUID key, trimming and case folding, rounding to cents, a timestamp coalesce, value maps.
     */
    static final String SPEC = String.join(
            "\n",
            "name: bench-customer",
            "version: 1",
            "source: public.customer",
            "columns: {id: bigint, cust_type: char(1), first_name: text, last_name: text, status: char(1),",
            "          balance: numeric, credit_limit: numeric, created_at: timestamp, updated_at: timestamp,",
            "          fax: text, email: text, region: text, attr1: text, attr2: text, attr3: text, attr4: text,",
            "          attr5: text, attr6: text, attr7: text, attr8: text}",
            "aggregates:",
            "  customer:",
            "    key: {field: customer_id, uuid5: {namespace: url, name: \"'customer:' + string(after.id)\"}}",
            "    fields:",
            "      legacy_id: {type: long, from: id}",
            "      kind: {from: cust_type, map: {B: ORGANISATION, P: PERSON}, unmapped: error}",
            "      first_name: {expr: \"trim(after.first_name)\"}",
            "      last_name: {expr: \"trim(after.last_name)\"}",
            "      status: {from: status, map: {A: ACTIVE, C: CLOSED}, default: UNKNOWN}",
            "      balance: {type: decimal(2), expr: \"round(after.balance, 2)\"}",
            "      credit_limit: {type: decimal(2), from: credit_limit}",
            "      created_at: {type: timestamp, from: created_at}",
            "      updated_at: {type: timestamp, expr: \"coalesce(after.updated_at, after.created_at)\"}",
            "      email: {expr: \"lowerAscii(trim(after.email))\", masked: true}",
            "      region: region",
            "      attr1: attr1",
            "      attr2: attr2",
            "      attr3: attr3",
            "      attr4: attr4",
            "      attr5: attr5",
            "      attr6: attr6",
            "      attr7: attr7",
            "      attr8: attr8",
            "      migrated_by: {const: rolling-migration}",
            "    dropped:",
            "      fax: no fax in the target model");

    private CustomerEnvelope() {}

    public static SourceRecord record(long id) {
        Struct after = new Struct(ROW)
                .put("id", id)
                .put("cust_type", id % 3 == 0 ? "B" : "P")
                .put("first_name", " Ada ")
                .put("last_name", "Lovelace  ")
                .put("status", "A")
                .put("balance", new BigDecimal("1234.56"))
                .put("credit_limit", new BigDecimal("5000.00"))
                .put("created_at", 1_700_000_000_000_000L)
                .put("updated_at", 1_764_000_000_123_456L)
                .put("fax", "+44 20 1234")
                .put("email", " Ada@Example.com")
                .put("region", "EU");
        for (int i = 1; i <= 8; i++) {
            after.put("attr" + i, "value " + i);
        }
        Struct source = EVENTS.postgresSource(123_456_789L + id).put("ts_ms", 1_764_000_000_000L);
        return EVENTS.change("u", null, after, source);
    }
}
