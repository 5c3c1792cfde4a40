package io.rollingmigration.connect.smt.lineage;

import static io.rollingmigration.connect.smt.lineage.DebeziumEvents.postgres;
import static io.rollingmigration.connect.smt.lineage.DebeziumEvents.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.connect.common.lineage.Lineage;
import io.rollingmigration.connect.common.lineage.Lineage.Field;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class ExtractRowWithLineageTest {

    private static final long NOW = 1_800_000_000_000L;

    private static ExtractRowWithLineage<SourceRecord> transform(Map<String, String> config) {
        ExtractRowWithLineage<SourceRecord> transform = new ExtractRowWithLineage<>(() -> NOW);
        transform.configure(config);
        return transform;
    }

    private static ExtractRowWithLineage<SourceRecord> transform() {
        return transform(Map.of("rule", "customer-identity@3"));
    }

    @Test
    void insertBecomesTheRowStateWithEveryLineageHeader() {
        SourceRecord out = transform().apply(postgres("c", null, row(7, "Ada", "12.50"), 5000L, null));

        Struct value = (Struct) out.value();
        assertEquals(7L, value.getInt64("id"));
        assertEquals(new BigDecimal("12.50"), value.get("balance"));
        assertSame(DebeziumEvents.ROW, out.valueSchema());
        assertEquals(new Struct(DebeziumEvents.KEY).put("id", 7L), out.key());
        assertEquals("legacy.public.customer", out.topic());

        assertEquals("legacy", header(out, Field.SOURCE_SYSTEM).value());
        assertEquals("public.customer", header(out, Field.SOURCE_TABLE).value());
        assertEquals("{\"id\":7}", header(out, Field.SOURCE_KEY).value());
        assertEquals(5000L, header(out, Field.SOURCE_POSITION).value());
        assertEquals(
                Schema.Type.INT64, header(out, Field.SOURCE_POSITION).schema().type());
        assertEquals(1_700_000_000_000L, header(out, Field.SOURCE_COMMIT_TIME).value());
        assertEquals("CREATE", header(out, Field.OPERATION).value());
        assertEquals("false", header(out, Field.SNAPSHOT).value());
        assertEquals("customer-identity@3", header(out, Field.RULE).value());
        assertEquals(NOW, header(out, Field.TRANSLATED_AT).value());
    }

    @Test
    void theLegacyTransactionTravelsAsAHeaderSoTheSinkCanTellTheWritebacksEchoes() {
        SourceRecord out =
                transform().apply(postgres("u", row(7, "Ada", "12.50"), row(7, "Ada L.", "99.00"), 6000L, null));
        assertEquals(
                771L,
                out.headers().lastWithName(Lineage.SOURCE_TRANSACTION_HEADER).value());

        SourceRecord mysql = transform()
                .apply(DebeziumEvents.record(
                        "c", null, row(8, "Bo", "1.00"), DebeziumEvents.mysqlSource("bin.000003", 42)));
        assertNull(mysql.headers().lastWithName(Lineage.SOURCE_TRANSACTION_HEADER), "MySQL reports no txId");
    }

    @Test
    void updateCarriesTheStateAfterTheChange() {
        SourceRecord out =
                transform().apply(postgres("u", row(7, "Ada", "12.50"), row(7, "Ada L.", "99.00"), 6000L, null));

        assertEquals("Ada L.", ((Struct) out.value()).getString("name"));
        assertEquals("UPDATE", header(out, Field.OPERATION).value());
        assertEquals(6000L, header(out, Field.SOURCE_POSITION).value());
    }

    @Test
    void snapshotReadKeepsDebeziumsSnapshotMarker() {
        SourceRecord out = transform().apply(postgres("r", null, row(1, "Bo", "1.00"), 100L, "first"));

        assertEquals("READ", header(out, Field.OPERATION).value());
        assertEquals("first", header(out, Field.SNAPSHOT).value());
    }

    @Test
    void deleteBecomesVersionedTombstone() {
        SourceRecord out = transform().apply(postgres("d", row(7, "Ada", "12.50"), null, 7000L, null));

        assertNull(out.value());
        assertNull(out.valueSchema());
        assertEquals(new Struct(DebeziumEvents.KEY).put("id", 7L), out.key());
        assertEquals("DELETE", header(out, Field.OPERATION).value());
        assertEquals(7000L, header(out, Field.SOURCE_POSITION).value());
    }

    @Test
    void debeziumTombstoneIsDroppedByDefaultAndKeptOnRequest() {
        SourceRecord tombstone = new SourceRecord(
                Map.of(),
                Map.of(),
                "legacy.public.customer",
                0,
                DebeziumEvents.KEY,
                new Struct(DebeziumEvents.KEY).put("id", 7L),
                null,
                null);

        assertNull(transform().apply(tombstone));
        assertSame(tombstone, transform(Map.of("source.tombstones", "keep")).apply(tombstone));
    }

    @Test
    void existingLineageHeadersAreReplacedNotDuplicated() {
        SourceRecord in = postgres("c", null, row(7, "Ada", "12.50"), 5000L, null);
        in.headers()
                .addString(Field.RULE.header(), "stale@0")
                .addLong(Field.SOURCE_POSITION.header(), 1L)
                .addString("unrelated", "kept");

        SourceRecord out = transform().apply(in);

        for (Field field : Lineage.headerFields()) {
            assertEquals(1, countNamed(out, field.header()), field.header() + " appears once");
        }
        assertEquals("customer-identity@3", header(out, Field.RULE).value());
        assertEquals("kept", out.headers().lastWithName("unrelated").value());
        assertEquals(1, countNamed(in, Field.RULE.header()), "the input record is not mutated");
    }

    @Test
    void mysqlBinlogPositionBecomesAnOrderedNumber() {
        SourceRecord early = DebeziumEvents.record(
                "c", null, row(1, "A", "1.00"), DebeziumEvents.mysqlSource("mysql-bin.000003", 9_000_000L));
        SourceRecord late = DebeziumEvents.record(
                "u", null, row(1, "A", "2.00"), DebeziumEvents.mysqlSource("mysql-bin.000004", 4L));

        long first =
                (Long) header(transform().apply(early), Field.SOURCE_POSITION).value();
        long second =
                (Long) header(transform().apply(late), Field.SOURCE_POSITION).value();

        assertTrue(first < second, "the next binlog file orders after any position in the previous one");
        assertEquals(
                "shop.customer",
                header(transform().apply(early), Field.SOURCE_TABLE).value());
    }

    @Test
    void truncateFailsByDefaultAndIsDroppedOnRequest() {
        Struct value = new Struct(DebeziumEvents.envelope(DebeziumEvents.POSTGRES_SOURCE))
                .put("source", DebeziumEvents.postgresSource(8000L, null))
                .put("op", "t");
        SourceRecord in =
                new SourceRecord(Map.of(), Map.of(), "legacy.public.customer", 0, null, null, value.schema(), value);

        DataException error =
                assertThrows(DataException.class, () -> transform().apply(in));
        assertTrue(error.getMessage().contains("TRUNCATE"), error.getMessage());
        assertNull(transform(Map.of("unsupported.operations", "drop")).apply(in));
    }

    @Test
    void valueThatIsNotAChangeEventIsAClearError() {
        SourceRecord plain = new SourceRecord(Map.of(), Map.of(), "t", 0, null, null, Schema.STRING_SCHEMA, "hello");

        DataException error =
                assertThrows(DataException.class, () -> transform().apply(plain));
        assertTrue(error.getMessage().contains("Not a Debezium change event"), error.getMessage());
    }

    @Test
    void eventWithoutSourcePositionIsRejectedBecauseTheSinkCouldNotOrderIt() {
        Struct source = DebeziumEvents.postgresSource(1L, null).put("lsn", null);
        SourceRecord in = DebeziumEvents.record("c", null, row(1, "A", "1.00"), source);

        DataException error =
                assertThrows(DataException.class, () -> transform().apply(in));
        assertTrue(error.getMessage().contains("no source position"), error.getMessage());
    }

    @Test
    void keylessRecordTakesItsSourceKeyFromConfiguredFields() {
        SourceRecord keyed = postgres("c", null, row(9, "K", "1.00"), 10L, null);
        SourceRecord keyless =
                new SourceRecord(Map.of(), Map.of(), keyed.topic(), 0, null, null, keyed.valueSchema(), keyed.value());

        assertThrows(DataException.class, () -> transform().apply(keyless));
        Map<String, String> config = new HashMap<>(Map.of("key.fields", "id"));
        assertEquals(
                "{\"id\":9}",
                header(transform(config).apply(keyless), Field.SOURCE_KEY).value());
    }

    @Test
    void invalidOptionIsRejectedAtConfigureTime() {
        assertThrows(ConfigException.class, () -> transform(Map.of("source.tombstones", "sometimes")));
    }

    @Test
    void everyConfigKeyIsDocumentedInTheOperatorGuide() throws Exception {
        Path guide = Paths.get("").toAbsolutePath().getParent().resolve("docs/connect-smt.md");
        String text = Files.readString(guide);
        for (String key : ExtractRowWithLineage.CONFIG_DEF.names()) {
            assertTrue(text.contains("`" + key + "`"), "docs/connect-smt.md documents `" + key + "`");
        }
    }

    private static Header header(SourceRecord record, Field field) {
        Header header = record.headers().lastWithName(field.header());
        assertTrue(header != null, "header " + field.header() + " is present");
        return header;
    }

    private static int countNamed(SourceRecord record, String name) {
        int count = 0;
        var it = record.headers().allWithName(name);
        while (it.hasNext()) {
            it.next();
            count++;
        }
        return count;
    }
}
