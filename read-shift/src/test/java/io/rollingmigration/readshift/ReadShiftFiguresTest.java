package io.rollingmigration.readshift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadShiftFiguresTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long NOW = 1_800_000_000_000L;
    private final ReadShiftFigures figures = new ReadShiftFigures(Duration.ofMinutes(10));

    @Test
    void alignmentCountsOnlyComparedReadsAndNamesTheFieldsThatDiffered() {
        for (int i = 0; i < 97; i++) {
            figures.comparison(comparison("EU", "MATCH", NOW - 1_000));
        }
        for (int i = 0; i < 3; i++) {
            figures.comparison(comparison("EU", "MISMATCH", NOW - 1_000, "status", "balance"));
        }
        figures.comparison(comparison("EU", "IN_FLIGHT", NOW - 1_000, "balance"));
        figures.comparison(comparison("EU", "SECONDARY_TIMED_OUT", NOW - 1_000));
        figures.comparison(comparison("EU", "UNTRANSLATABLE", NOW - 1_000));

        ReadShiftFigures.Alignment eu =
                figures.snapshot(NOW).alignment().get("customer").get("EU");
        assertEquals(97.0, eu.alignmentPercent(), 1e-9, "in-flight, failed and untranslatable reads are no match");
        assertEquals(Map.of("balance", 3L, "status", 3L), eu.mismatchesByField());
        assertEquals(1, eu.inFlight());
        assertEquals(1, eu.failed());
        assertEquals(1, eu.untranslatable());
    }

    @Test
    void comparisonsOlderThanTheWindowNoLongerCount() {
        figures.comparison(
                comparison("EU", "MISMATCH", NOW - Duration.ofMinutes(30).toMillis(), "status"));
        figures.comparison(comparison("EU", "MATCH", NOW - 1_000));
        assertEquals(
                100.0,
                figures.snapshot(NOW).alignment().get("customer").get("EU").alignmentPercent());
    }

    @Test
    void routingIsTheReadsOfTheWindowByModeStoreAndConsumerAndTellsWhoStillReadsLegacy() {
        // A facade that has run for an hour: its count at the window's start is subtracted.
        figures.routing(routing(
                "a",
                "web",
                "CANARY",
                "TARGET",
                1_000,
                NOW - Duration.ofMinutes(11).toMillis()));
        figures.routing(routing("a", "web", "CANARY", "TARGET", 1_300, NOW - 1_000));
        figures.routing(routing(
                "a",
                "web",
                "CANARY",
                "LEGACY",
                4_000,
                NOW - Duration.ofMinutes(11).toMillis()));
        figures.routing(routing("a", "web", "CANARY", "LEGACY", 4_700, NOW - 1_000));
        // One that started within the window: all its reads are in it.
        figures.routing(routing("b", "batch", "TARGET", "TARGET", 50, NOW - 2_000));

        ReadShiftFigures.Snapshot snapshot = figures.snapshot(NOW);
        ReadShiftFigures.Routing web =
                snapshot.routingByConsumer().get("customer").get("web");
        assertEquals(700, web.answeredByLegacy());
        assertEquals(300, web.answeredByService());
        assertEquals(30.0, web.servicePercent(), 1e-9);
        assertEquals(
                100.0, snapshot.routingByConsumer().get("customer").get("batch").servicePercent());
        assertEquals(
                350.0 / 1050 * 100,
                snapshot.routingByPartition().get("customer").get("EU").servicePercent(),
                1e-9);
        assertEquals(
                Map.of(ReadMode.CANARY, 1000L, ReadMode.TARGET, 50L),
                snapshot.routingByPartition().get("customer").get("EU").readsByMode());
        assertEquals(Set.of("web"), snapshot.consumersReadingLegacy().get("customer"));
    }

    @Test
    void withoutComparisonsThereIsNoAlignmentRatherThanAMadeUpFigure() {
        figures.comparison(comparison("EU", "SKIPPED", NOW - 1_000));
        assertNull(figures.snapshot(NOW).alignment().get("customer").get("EU").alignmentPercent());
    }

    private static JsonNode comparison(String partition, String outcome, long at, String... fields) {
        ObjectNode node = JSON.createObjectNode()
                .put("unit", "customer")
                .put("partition", partition)
                .put("outcome", outcome)
                .put("at", at);
        for (String field : fields) {
            node.withArray("fields").addObject().put("name", field);
        }
        return node;
    }

    private static JsonNode routing(String instance, String consumer, String mode, String store, long reads, long at) {
        return JSON.createObjectNode()
                .put("instance", instance)
                .put("unit", "customer")
                .put("partition", "EU")
                .put("consumer", consumer)
                .put("mode", mode)
                .put("answered_by", store)
                .put("reads", reads)
                .put("at", at);
    }
}
