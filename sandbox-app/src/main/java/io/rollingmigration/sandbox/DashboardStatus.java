package io.rollingmigration.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sandbox's figures as the worker's migration dashboard serves them ({@code GET /migration/status}): what an
 * operator of a real Connect cluster sees, read the way they would read it. A section the dashboard has no data for
 * yet stays unknown here too, never a made-up zero.
 */
final class DashboardStatus {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SEVERITIES = List.of("CRITICAL", "HIGH", "MEDIUM", "LOW");

    private final URI status;
    private final String unit;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    DashboardStatus(URI connectBase, String unit) {
        this.status = connectBase.resolve("/migration/status");
        this.unit = unit;
    }

    /** The unit's figures now; a dashboard that does not answer is an error the sandbox reports and goes past. */
    MigrationStatus read() throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(
                HttpRequest.newBuilder(status).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + status + " answered " + response.statusCode());
        }
        JsonNode body = JSON.readTree(response.body());
        return of(
                body.path("generated_at_ms").asLong(System.currentTimeMillis()),
                body.path("units").path(unit));
    }

    /** The figures of one unit of a status document. */
    static MigrationStatus of(long takenAt, JsonNode unit) {
        JsonNode backfill = unit.path("backfill");
        JsonNode lag = unit.path("replication_lag_ms");
        JsonNode order = unit.path("event_order");
        Map<String, Long> drift = new LinkedHashMap<>();
        if (unit.path("drift").has("by_severity")) {
            for (String severity : SEVERITIES) {
                drift.put(
                        severity,
                        unit.path("drift").path("by_severity").path(severity).asLong());
            }
        }
        JsonNode reconciliation = unit.path("reconciliation");
        Map<String, String> owners = new TreeMap<>();
        unit.path("ownership")
                .path("partitions")
                .fields()
                .forEachRemaining(
                        e -> owners.put(e.getKey(), e.getValue().path("owner").asText()));
        return new MigrationStatus(
                takenAt,
                backfill.has("rows_expected") ? backfill.path("rows_expected").asLong() : -1,
                backfill.has("rows_landed") ? backfill.path("rows_landed").asLong() : -1,
                lag.path("p50").asLong(),
                lag.path("p99").asLong(),
                order.path("applied_total").asLong(),
                order.path("skipped_stale_total").asLong(),
                unit.path("dead_letter_queue").path("total").asLong(),
                drift,
                reconciliation.has("last_run_alignment_pct")
                        ? reconciliation.path("last_run_alignment_pct").asDouble()
                        : -1,
                owners,
                readShift(unit.path("read_routing")));
    }

    private static ReadShiftStatus readShift(JsonNode routing) {
        Map<String, String> plan = new TreeMap<>();
        routing.path("plan").fields().forEachRemaining(e -> {
            JsonNode partition = e.getValue();
            plan.put(
                    e.getKey(),
                    partition.has("canary_pct")
                            ? partition.path("mode").asText() + " "
                                    + BigDecimal.valueOf(
                                                    partition.path("canary_pct").asDouble())
                                            .stripTrailingZeros()
                                            .toPlainString()
                                    + "%"
                            : partition.path("mode").asText());
        });
        JsonNode figures = routing.path("figures");
        Map<String, Double> alignment = new TreeMap<>();
        Map<String, Long> compared = new TreeMap<>();
        Map<String, Double> byRegion = new TreeMap<>();
        figures.path("partitions").fields().forEachRemaining(e -> {
            JsonNode partition = e.getValue();
            long reads = partition.path("matched").asLong()
                    + partition.path("mismatched").asLong();
            if (reads > 0 && partition.path("alignment_pct").isNumber()) {
                compared.put(e.getKey(), reads);
                alignment.put(e.getKey(), partition.path("alignment_pct").asDouble());
            }
            if (partition.path("service_pct").isNumber()) {
                byRegion.put(e.getKey(), partition.path("service_pct").asDouble());
            }
        });
        Map<String, Double> byConsumer = new TreeMap<>();
        figures.path("consumers").fields().forEachRemaining(e -> {
            if (e.getValue().path("service_pct").isNumber()) {
                byConsumer.put(e.getKey(), e.getValue().path("service_pct").asDouble());
            }
        });
        return new ReadShiftStatus(
                plan,
                alignment,
                compared,
                byRegion,
                byConsumer,
                figures.path("consumers_on_legacy").size());
    }
}
