package io.rollingmigration.connect.sink.writeback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.connect.common.spec.Uuid5;
import io.rollingmigration.testsupport.ChangeEvents;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.RecordingSinkContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A service that knows the customer of an order only by the customer's party id, a UUIDv5 of the legacy customer
 * key (the forward spec's {@code ref}): the write-back reads the legacy customer keys back from those ids, for new
 * orders and for orders moved to another customer alike.
 */
class WritebackReferenceTest {

    private static final String PARTY_NAMESPACE = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";
    private static final String SPEC = String.join(
            "\n",
            "name: shop-order",
            "version: 1",
            "source: shop.orders",
            "aggregates:",
            "  order:",
            "    key: {field: order_id, column: order_no}",
            "    ownership: region",
            "    fields:",
            "      customer_party_id: {ref: {uuid5: " + PARTY_NAMESPACE + ", key: {id: customer_id}}}",
            "      status: {from: status_cd, map: {O: OPEN, S: SHIPPED}, unmapped: error}",
            "      region: region",
            "    writeback:",
            "      key:",
            "        order_no: {sequence: shop.order_no_seq}",
            "      columns:",
            "        customer_id: {ref: customer_party_id, table: shop.customer}");
    private static final Schema ORDER_ROW = SchemaBuilder.struct()
            .name(ChangeEvents.rowName("shop_service", "public", "orders"))
            .optional()
            .field("order_id", Schema.STRING_SCHEMA)
            .field("customer_party_id", Schema.OPTIONAL_STRING_SCHEMA)
            .field("status", Schema.OPTIONAL_STRING_SCHEMA)
            .field("region", Schema.OPTIONAL_STRING_SCHEMA)
            .field("lineage_source_key", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    private static final ChangeEvents SERVICE =
            ChangeEvents.of("shop_service", "public", "orders", ORDER_ROW, ChangeEvents.POSTGRES_SOURCE, "order_id");

    private static PostgresFixture postgres;
    private final AtomicLong offsets = new AtomicLong();
    private RecordingSinkContext context;
    private LegacyWritebackSinkTask task;

    @BeforeAll
    static void databases() {
        postgres = PostgresFixture.shared();
    }

    @BeforeEach
    void shop() {
        postgres.execute(
                PostgresFixture.LEGACY,
                "DROP SCHEMA IF EXISTS shop CASCADE",
                "DROP SCHEMA IF EXISTS shop_lane CASCADE",
                "CREATE SCHEMA shop",
                "CREATE TABLE shop.customer (id bigint PRIMARY KEY, name text)",
                "INSERT INTO shop.customer SELECT n, 'customer ' || n FROM generate_series(1, 5000) n",
                "CREATE TABLE shop.orders (order_no bigint PRIMARY KEY, customer_id bigint NOT NULL "
                        + "REFERENCES shop.customer (id), status_cd char(1) NOT NULL, region text NOT NULL)",
                "CREATE SEQUENCE shop.order_no_seq START 500",
                "INSERT INTO shop.orders VALUES (1, 17, 'O', 'EU')");
        postgres.execute(
                PostgresFixture.TARGET,
                "DROP TABLE IF EXISTS shop_ownership",
                "CREATE TABLE shop_ownership (migration_unit varchar(255) NOT NULL, partition_value varchar(255) "
                        + "NOT NULL, owner varchar(16) NOT NULL, since timestamp, PRIMARY KEY (migration_unit, "
                        + "partition_value))",
                "INSERT INTO shop_ownership VALUES ('order', '*', 'TARGET', '2020-01-01')");
        Map<String, String> config = new HashMap<>();
        config.put("name", "shop-writeback");
        config.putAll(postgres.connectionSettings("legacy.", PostgresFixture.LEGACY));
        config.putAll(postgres.connectionSettings("service.", PostgresFixture.TARGET));
        config.put("mapping.spec", SPEC);
        config.put("aggregate", "order");
        config.put("bookkeeping.schema", "shop_lane");
        config.put("ownership.table", "shop_ownership");
        config.put("ownership.refresh.ms", "0");
        config.put("lane.transactions.table", "shop_lane_transactions");
        config.put("ownership.moves.table", "");
        config.put("retry.backoff.ms", "10");
        context = new RecordingSinkContext(true, config, Set.of());
        task = new LegacyWritebackSinkTask();
        task.initialize(context);
        task.start(config);
    }

    @AfterEach
    void stop() {
        task.stop();
    }

    private static String party(long customer) {
        return Uuid5.of(UUID.fromString(PARTY_NAMESPACE), "{\"id\":" + customer + "}")
                .toString();
    }

    @Test
    void theLegacyCustomerOfANewOrderAndOfAMovedOneIsReadBackFromTheServicesPartyId() {
        task.put(List.of(
                change(order("1", party(4242), "SHIPPED").put("lineage_source_key", "{\"order_no\":1}")),
                change(order("new-order", party(4999), "OPEN"))));

        assertEquals(
                List.of(List.of(1L, 4242L, "S"), List.of(500L, 4999L, "O")),
                legacy("SELECT order_no, customer_id, status_cd FROM shop.orders ORDER BY order_no"));
        assertTrue(context.errant.isEmpty(), () -> context.reasons.toString());
    }

    @Test
    void anIdThatNamesNoLegacyCustomerGoesToTheDeadLetterQueueAndTheRestIsWritten() {
        SinkRecord unknown = change(order("lost-order", UUID.randomUUID().toString(), "OPEN"));
        task.put(List.of(unknown, change(order("new-order", party(3), "OPEN"))));

        assertEquals(List.of(unknown), context.errant);
        assertTrue(
                context.reasons.get(0).getMessage().contains("is the UUIDv5 of no key of legacy table shop.customer"),
                context.reasons.toString());
        assertEquals(
                List.of(List.of(1L, 17L), List.of(500L, 3L)),
                legacy("SELECT order_no, customer_id FROM shop.orders ORDER BY order_no"));
    }

    private static Struct order(String id, String party, String status) {
        return new Struct(ORDER_ROW)
                .put("order_id", id)
                .put("customer_party_id", party)
                .put("status", status)
                .put("region", "EU");
    }

    private SinkRecord change(Struct after) {
        return ChangeEvents.delivered(
                SERVICE.change("u", null, after, SERVICE.postgresSource(100)), offsets.getAndIncrement());
    }

    private static List<List<Object>> legacy(String sql) {
        return new ArrayList<>(postgres.query(PostgresFixture.LEGACY, sql));
    }
}
