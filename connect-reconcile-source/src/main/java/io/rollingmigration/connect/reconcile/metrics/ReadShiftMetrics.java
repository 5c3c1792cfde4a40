package io.rollingmigration.connect.reconcile.metrics;

import io.rollingmigration.readshift.FeedFigures;
import io.rollingmigration.readshift.ReadShiftFigures;
import io.rollingmigration.readshift.ReadShiftFigures.Alignment;
import io.rollingmigration.readshift.ReadShiftFigures.Routing;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;

/**
 * The read-shift lane's figures of one migration unit as plugin metrics: per partition the shadow alignment, the
 * comparisons by outcome and the service's share of reads; per consumer the service's share and the reads legacy
 * answered; per field the mismatches; and how many consumers still read legacy. A partition, consumer or field
 * gets its metrics when the feed first names it. Figures are taken from the feed at most once a second.
 */
public final class ReadShiftMetrics {

    private static final long SNAPSHOT_MILLIS = 1_000;

    private final PluginMetrics metrics;
    private final FeedFigures feed;
    private final String unit;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private volatile ReadShiftFigures.Snapshot snapshot;
    private volatile long snapshotAt;

    public ReadShiftMetrics(PluginMetrics metrics, FeedFigures feed, String unit) {
        this.metrics = metrics;
        this.feed = feed;
        this.unit = unit;
        metrics.addMetric(
                metrics.metricName(
                        "read-consumers-on-legacy",
                        "Consumers with reads of the unit that legacy answered in the window",
                        new LinkedHashMap<>()),
                (Gauge<Integer>) (config, now) -> figures()
                        .consumersReadingLegacy()
                        .getOrDefault(unit, Set.of())
                        .size());
    }

    /** The figures now; and metrics for what the feed names for the first time. */
    public ReadShiftFigures.Snapshot figures() {
        long now = System.currentTimeMillis();
        ReadShiftFigures.Snapshot current = snapshot;
        if (current == null || now - snapshotAt >= SNAPSHOT_MILLIS) {
            current = feed.snapshot();
            snapshot = current;
            snapshotAt = now;
        }
        return current;
    }

    /** Registers the metrics of partitions, consumers and fields seen since the last call. */
    public void registerNew() {
        ReadShiftFigures.Snapshot figures = figures();
        figures.alignment().getOrDefault(unit, Map.of()).forEach((partition, alignment) -> {
            if (registered.add("partition:" + partition)) {
                partitionMetric(
                        partition,
                        "read-alignment-percent",
                        "Shadowed reads that matched, in percent of " + "those compared (NaN before the first)",
                        a -> a == null || a.alignmentPercent() == null ? Double.NaN : a.alignmentPercent());
                partitionMetric(
                        partition, "read-matched", "Compared reads that matched", a -> count(a, Alignment::matched));
                partitionMetric(
                        partition,
                        "read-mismatched",
                        "Compared reads that differed",
                        a -> count(a, Alignment::mismatched));
                partitionMetric(
                        partition,
                        "read-in-flight",
                        "Differences a change on its way explains",
                        a -> count(a, Alignment::inFlight));
                partitionMetric(
                        partition,
                        "read-untranslatable",
                        "Legacy answers the spec cannot translate",
                        a -> count(a, Alignment::untranslatable));
                partitionMetric(
                        partition,
                        "read-not-compared",
                        "Reads not compared: failed, timed out or skipped",
                        a -> count(a, x -> x.failed() + x.skipped()));
                metric(
                        "read-service-percent",
                        "Reads of the partition the service answered, in percent (NaN without reads)",
                        Map.of("partition", partition),
                        s -> percent(s.routingByPartition()
                                .getOrDefault(unit, Map.of())
                                .get(partition)));
            }
            alignment.mismatchesByField().keySet().forEach(field -> {
                if (registered.add("field:" + field)) {
                    metric(
                            "read-mismatches-by-field",
                            "Compared reads in which the field differed",
                            Map.of("field", field),
                            s -> (double) s.alignment().getOrDefault(unit, Map.of()).values().stream()
                                    .mapToLong(a -> a.mismatchesByField().getOrDefault(field, 0L))
                                    .sum());
                }
            });
        });
        figures.routingByConsumer().getOrDefault(unit, Map.of()).keySet().forEach(consumer -> {
            if (registered.add("consumer:" + consumer)) {
                metric(
                        "read-consumer-service-percent",
                        "Reads of the consumer the service answered, in percent (NaN without reads)",
                        Map.of("consumer", consumer),
                        s -> percent(s.routingByConsumer()
                                .getOrDefault(unit, Map.of())
                                .get(consumer)));
                metric(
                        "read-consumer-legacy-reads",
                        "Reads of the consumer that legacy answered",
                        Map.of("consumer", consumer),
                        s -> {
                            Routing routing = s.routingByConsumer()
                                    .getOrDefault(unit, Map.of())
                                    .get(consumer);
                            return routing == null ? 0.0 : routing.answeredByLegacy();
                        });
            }
        });
    }

    private void partitionMetric(String partition, String name, String doc, Function<Alignment, Double> value) {
        metric(
                name,
                doc,
                Map.of("partition", partition),
                s -> value.apply(s.alignment().getOrDefault(unit, Map.of()).get(partition)));
    }

    private void metric(
            String name, String doc, Map<String, String> tags, Function<ReadShiftFigures.Snapshot, Double> value) {
        metrics.addMetric(metrics.metricName(name, doc, new LinkedHashMap<>(tags)), (Gauge<Double>)
                (config, now) -> value.apply(figures()));
    }

    private static double count(Alignment alignment, Function<Alignment, Long> count) {
        return alignment == null ? 0.0 : count.apply(alignment);
    }

    private static double percent(Routing routing) {
        return routing == null || routing.servicePercent() == null ? Double.NaN : routing.servicePercent();
    }
}
