package io.rollingmigration.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollingmigration.testsupport.ConnectClusterFixture;
import io.rollingmigration.testsupport.PluginMetrics;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.TopicReader.TopicRecord;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Gathers the sandbox's status from where an operator would look: the target table's lineage (backfill and lag),
 * the sink's plugin metrics on JMX, the dead letter queue, the drift and summary topics, and the ownership table.
 */
final class StatusCollector {

    private final PostgresFixture postgres;
    private final LegacyDatabase legacy;
    private final ConnectClusterFixture connect;
    private final String dlqTopic;
    private final String driftTopic;
    private final String summaryTopic;

    StatusCollector(
            PostgresFixture postgres,
            LegacyDatabase legacy,
            ConnectClusterFixture connect,
            String dlqTopic,
            String driftTopic,
            String summaryTopic) {
        this.postgres = postgres;
        this.legacy = legacy;
        this.connect = connect;
        this.dlqTopic = dlqTopic;
        this.driftTopic = driftTopic;
        this.summaryTopic = summaryTopic;
    }

    MigrationStatus collect() {
        long legacyCustomers = legacy.customers();
        long target = number(postgres.query(
                PostgresFixture.TARGET, "SELECT count(*) FROM public.customer WHERE lineage_deleted_at IS NULL"));
        List<Object> lag = postgres.query(
                        PostgresFixture.TARGET,
                        "SELECT "
                                + "percentile_cont(0.5) WITHIN GROUP (ORDER BY lag), percentile_cont(0.99) WITHIN GROUP (ORDER BY lag) "
                                + "FROM (SELECT extract(epoch FROM lineage_applied_at - lineage_source_committed_at) * 1000 AS lag "
                                + "FROM public.customer WHERE lineage_applied_at > now() - interval '30 seconds') recent")
                .get(0);
        return new MigrationStatus(
                System.currentTimeMillis(),
                legacyCustomers,
                target,
                millis(lag.get(0)),
                millis(lag.get(1)),
                PluginMetrics.sum("changes-applied-total"),
                PluginMetrics.sum("changes-skipped-stale-total"),
                connect.topics().readAll(dlqTopic).size(),
                openDrift(),
                alignment(),
                ownership(),
                readShift());
    }

    /** The read-shift figures the reconciler publishes as plugin metrics, and the plan the facade follows. */
    private ReadShiftStatus readShift() {
        Map<String, String> plan = new TreeMap<>();
        try {
            for (List<Object> row : postgres.query(
                    PostgresFixture.TARGET,
                    "SELECT partition_value, read_mode, canary_percent FROM migration_read_routing "
                            + "WHERE migration_unit = 'customer'")) {
                plan.put(
                        String.valueOf(row.get(0)),
                        row.get(2) == null
                                ? String.valueOf(row.get(1))
                                : row.get(1) + " "
                                        + new java.math.BigDecimal(row.get(2).toString())
                                                .stripTrailingZeros()
                                                .toPlainString()
                                        + "%");
            }
        } catch (IllegalStateException e) {
            // No plan table yet: every read goes to legacy.
        }
        Map<String, Long> compared = new TreeMap<>();
        PluginMetrics.byTag("read-matched", "partition")
                .forEach((region, n) -> compared.merge(region, n.longValue(), Long::sum));
        PluginMetrics.byTag("read-mismatched", "partition")
                .forEach((region, n) -> compared.merge(region, n.longValue(), Long::sum));
        compared.values().removeIf(n -> n == 0);
        Map<String, Double> alignment = new TreeMap<>(PluginMetrics.byTag("read-alignment-percent", "partition"));
        alignment.keySet().retainAll(compared.keySet());
        return new ReadShiftStatus(
                plan,
                alignment,
                compared,
                PluginMetrics.byTag("read-service-percent", "partition"),
                PluginMetrics.byTag("read-consumer-service-percent", "consumer"),
                PluginMetrics.sum("read-consumers-on-legacy"));
    }

    /** The latest record per key of the compacted drift topic, counted by severity. */
    private Map<String, Long> openDrift() {
        Map<String, String> latest = new HashMap<>();
        for (TopicRecord record : connect.topics().readAll(driftTopic)) {
            String key = record.key().toString();
            if (record.isTombstone()) {
                latest.remove(key);
            } else {
                latest.put(key, record.value().path("severity").asText());
            }
        }
        Map<String, Long> bySeverity = new LinkedHashMap<>();
        for (String severity : List.of("CRITICAL", "HIGH", "MEDIUM", "LOW")) {
            bySeverity.put(
                    severity, latest.values().stream().filter(severity::equals).count());
        }
        return bySeverity;
    }

    private double alignment() {
        double alignment = -1;
        for (TopicRecord record : connect.topics().readAll(summaryTopic)) {
            JsonNode summary = record.value();
            if ("COMPLETED".equals(summary.path("status").asText())) {
                alignment = summary.path("alignment_pct").asDouble();
            }
        }
        return alignment;
    }

    private Map<String, String> ownership() {
        Map<String, String> owners = new TreeMap<>();
        try {
            for (List<Object> row : postgres.query(
                    PostgresFixture.TARGET,
                    "SELECT partition_value, owner FROM migration_ownership WHERE migration_unit = 'customer'")) {
                owners.put(String.valueOf(row.get(0)), String.valueOf(row.get(1)));
            }
        } catch (IllegalStateException e) {
            // No ownership table yet: nothing has moved.
        }
        owners.putIfAbsent("*", "LEGACY");
        return owners;
    }

    private static long number(List<List<Object>> rows) {
        return ((Number) rows.get(0).get(0)).longValue();
    }

    private static long millis(Object value) {
        return value == null ? 0 : Math.round(((Number) value).doubleValue());
    }
}
