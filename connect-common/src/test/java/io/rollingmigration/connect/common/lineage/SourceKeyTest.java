package io.rollingmigration.connect.common.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/**
 * The canonical text of a legacy key, which lineage carries and the reconciler derives again from JDBC rows: both
 * must write the same characters for the same key, whatever the order of the columns or where the value came from.
 */
class SourceKeyTest {

    @Test
    void fieldsAreSortedByNameWithoutWhiteSpace() {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("region", "EU");
        key.put("account_no", 42L);
        assertEquals("{\"account_no\":42,\"region\":\"EU\"}", SourceKey.of(key));
    }

    @Test
    void aSingleIntegerKeyIsWrittenAsJacksonWouldWriteIt() {
        assertEquals("{\"id\":7}", SourceKey.of(Map.of("id", 7L)));
        assertEquals("{\"id\":-9223372036854775808}", SourceKey.of(Map.of("id", Long.MIN_VALUE)));
    }

    @Test
    void textIsEscapedAsJson() {
        assertEquals("{\"no\":\"O'Brien \\\"Jr\\\" \\\\ 健\"}", SourceKey.of(Map.of("no", "O'Brien \"Jr\" \\ 健")));
    }

    @Test
    void aKeyStructWritesWhatTheSameKeyReadOverJdbcWrites() {
        Schema schema = SchemaBuilder.struct()
                .field("start_date", org.apache.kafka.connect.data.Date.SCHEMA)
                .field("amount", Decimal.schema(2))
                .field("code", Schema.INT16_SCHEMA)
                .build();
        Struct key = new Struct(schema)
                .put(
                        "start_date",
                        java.util.Date.from(LocalDate.of(2026, 1, 31)
                                .atStartOfDay(ZoneOffset.UTC)
                                .toInstant()))
                .put("amount", new BigDecimal("12.50"))
                .put("code", (short) 3);
        Map<String, Object> jdbcRow = new LinkedHashMap<>();
        jdbcRow.put("code", 3L);
        jdbcRow.put("amount", new BigDecimal("12.50"));
        jdbcRow.put("start_date", LocalDate.of(2026, 1, 31));

        assertEquals(SourceKey.of(jdbcRow), SourceKey.of(key));
        assertEquals(SourceKey.of(jdbcRow), SourceKey.of(key, List.of("start_date", "code", "amount")));
        assertEquals("{\"amount\":\"12.5\",\"code\":3,\"start_date\":\"2026-01-31\"}", SourceKey.of(key));
    }

    @Test
    void anAmountIsTheSameKeyAtAnyScale() {
        assertEquals(
                SourceKey.of(Map.of("amount", new BigDecimal("12.5"), "n", 1L)),
                SourceKey.of(Map.of("amount", new BigDecimal("12.5000"), "n", 1L)));
    }

    @Test
    void theNamedFieldsOfARowAreTheKey() {
        Schema schema = SchemaBuilder.struct()
                .field("id", Schema.INT64_SCHEMA)
                .field("name", Schema.STRING_SCHEMA)
                .build();
        Struct row = new Struct(schema).put("id", 5L).put("name", "not part of the key");
        assertEquals("{\"id\":5}", SourceKey.of(row, List.of("id")));
    }
}
