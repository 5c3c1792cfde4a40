package io.rollingmigration.readshift;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rollingmigration.connect.common.spec.SpecCompiler;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadComparisonTest {

    private static final long NOW = 1_800_000_000_000L;
    private static final LocalDateTime LONG_AGO = LocalDateTime.of(2026, 1, 1, 10, 0);

    @Test
    void withoutASpecTheServiceRowIsTheLegacyRowUnderTheSameKey() {
        ReadComparison identity = ReadComparison.identity(
                "customer",
                List.of("id"),
                List.of("name", "balance"),
                ComparisonRules.exact().withChangeColumn("updated_at"));
        Map<String, Object> legacy =
                Map.of("id", 7L, "name", "Ada", "balance", new BigDecimal("10.50"), "updated_at", LONG_AGO);
        Map<String, Object> service = new HashMap<>(Map.of("id", 7, "name", "Ada", "balance", 10.5));
        service.put("lineage_source_committed_at", LONG_AGO);
        assertEquals(
                ReadOutcome.MATCH,
                identity.compare(List.of(legacy), List.of(service), NOW).outcome());

        service.put("name", "Ada L.");
        ReadVerdict verdict = identity.compare(List.of(legacy), List.of(service), NOW);
        assertEquals(ReadOutcome.MISMATCH, verdict.outcome());
        assertEquals("name", verdict.fields().get(0).name());
        assertEquals("identity", identity.rule());
    }

    @Test
    void aListReadPairsRowsByKeyAndReportsRowsOnlyOneSideHas() {
        ReadComparison identity =
                ReadComparison.identity("customer", List.of("id"), List.of("name"), ComparisonRules.exact());
        ReadVerdict verdict = identity.compare(
                List.of(Map.of("id", 1L, "name", "a"), Map.of("id", 2L, "name", "b")),
                List.of(Map.of("id", 2L, "name", "b"), Map.of("id", 3L, "name", "c")),
                NOW);
        assertEquals(ReadOutcome.MISMATCH, verdict.outcome());
        assertEquals(List.of("MISSING_IN_TARGET", "UNEXPECTED_IN_TARGET"), verdict.kinds());
        assertEquals(List.of("1", "2", "3"), verdict.targetKeys());
    }

    @Test
    void aServiceAnsweringInJsonIsReadInTheAggregatesTypes() {
        ReadComparison spec = ReadComparison.of(SpecCompiler.compile("""
                        name: t
                        version: 1
                        source: public.t
                        columns: {id: bigint, d: date, ts: timestamp(6), amount: 'numeric(10,2)'}
                        aggregates:
                          thing:
                            key: {field: thing_id, expr: "string(after.id)"}
                            fields:
                              day: {type: date, from: d}
                              at: {type: timestamp, from: ts}
                              amount: {type: decimal(2), from: amount}
                        """, "thing"), ComparisonRules.exact());
        Map<String, Object> legacy = Map.of(
                "id",
                5L,
                "d",
                java.time.LocalDate.of(2026, 3, 1),
                "ts",
                LocalDateTime.of(2026, 3, 1, 12, 30, 5),
                "amount",
                new BigDecimal("3.10"));
        Map<String, Object> json =
                Map.of("thing_id", "5", "day", "2026-03-01", "at", "2026-03-01T12:30:05Z", "amount", 3.1);
        assertEquals(
                ReadOutcome.MATCH,
                spec.compare(List.of(legacy), List.of(json), NOW).outcome());
    }
}
