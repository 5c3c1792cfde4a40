package io.rollingmigration.connect.smt.lineage;

import static io.rollingmigration.connect.smt.lineage.DebeziumEvents.postgres;
import static io.rollingmigration.connect.smt.lineage.DebeziumEvents.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.connect.common.lineage.Lineage.Field;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class LineageHeadersTest {

    private static LineageHeaders<SourceRecord> transform() {
        LineageHeaders<SourceRecord> transform = new LineageHeaders<>();
        transform.configure(Map.of("rule", "own-chain@2"));
        return transform;
    }

    @Test
    void stampsLineageAndKeepsTheChangeEventForTheRestOfTheChain() {
        SourceRecord in = postgres("u", row(3, "Old", "1.00"), row(3, "New", "2.00"), 4242L, null);

        SourceRecord out = transform().apply(in);

        assertSame(in.value(), out.value());
        assertSame(in.key(), out.key());
        assertEquals(
                4242L,
                out.headers().lastWithName(Field.SOURCE_POSITION.header()).value());
        assertEquals(
                "own-chain@2", out.headers().lastWithName(Field.RULE.header()).value());
        assertEquals(
                "UPDATE", out.headers().lastWithName(Field.OPERATION.header()).value());
        assertEquals(
                "{\"id\":3}",
                out.headers().lastWithName(Field.SOURCE_KEY.header()).value());
        assertEquals(0, in.headers().size(), "the input record is not mutated");
    }

    @Test
    void tombstonesPassAndOtherValuesAreAClearError() {
        SourceRecord tombstone = new SourceRecord(Map.of(), Map.of(), "t", 0, null, null, null, null);
        assertSame(tombstone, transform().apply(tombstone));

        SourceRecord plain = new SourceRecord(Map.of(), Map.of(), "t", 0, null, null, Schema.STRING_SCHEMA, "x");
        DataException error =
                assertThrows(DataException.class, () -> transform().apply(plain));
        assertTrue(error.getMessage().contains("Not a Debezium change event"), error.getMessage());
    }

    @Test
    void everyConfigKeyIsDocumentedInTheOperatorGuide() throws Exception {
        String guide =
                Files.readString(Paths.get("").toAbsolutePath().getParent().resolve("docs/connect-smt.md"));
        for (String key : LineageHeaders.CONFIG_DEF.names()) {
            assertTrue(guide.contains("`" + key + "`"), "docs/connect-smt.md documents `" + key + "`");
        }
    }
}
