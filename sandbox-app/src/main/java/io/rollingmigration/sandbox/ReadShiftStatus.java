package io.rollingmigration.sandbox;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The read-shift lane as the sandbox shows it, from the reconciler's plugin metrics and the routing plan table.
 *
 * @param plan                      the read mode per region, as the plan table holds it
 * @param alignmentPercent          shadow alignment per region over the window, for regions with comparisons
 * @param compared                  compared reads per region over the window
 * @param servicePercentByRegion    the share of reads the service answered, per region
 * @param servicePercentByConsumer  the same per consumer
 * @param consumersOnLegacy         how many consumers still have reads legacy answered
 */
public record ReadShiftStatus(
        Map<String, String> plan,
        Map<String, Double> alignmentPercent,
        Map<String, Long> compared,
        Map<String, Double> servicePercentByRegion,
        Map<String, Double> servicePercentByConsumer,
        long consumersOnLegacy) {

    /** True once the lane has routed any read. */
    public boolean hasData() {
        return !servicePercentByConsumer.isEmpty();
    }

    /** One console part: "reads EU SHADOW aligned 100.00% (42) | service answers web-portal 0%, ...". */
    public String line() {
        if (!hasData()) {
            return "reads: no data yet";
        }
        return "reads "
                + plan.entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue()
                                + (alignmentPercent.containsKey(e.getKey())
                                        ? String.format(
                                                Locale.ROOT,
                                                " aligned %.2f%% (%d)",
                                                alignmentPercent.get(e.getKey()),
                                                compared.getOrDefault(e.getKey(), 0L))
                                        : ""))
                        .collect(Collectors.joining(", "))
                + " | service answers "
                + servicePercentByConsumer.entrySet().stream()
                        .map(e -> String.format(Locale.ROOT, "%s %.1f%%", e.getKey(), e.getValue()))
                        .collect(Collectors.joining(", "))
                + " | " + consumersOnLegacy + " consumers still on legacy";
    }
}
