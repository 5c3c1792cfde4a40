package io.rollingmigration.connect.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One migration unit's figures, put together from the latest reports of every task that works on it: the forward
 * lane's sinks, the write-back lane's, the reconcilers' key ranges. A report older than its task's interval allows
 * still counts, and says so: the figures age visibly, with their time, instead of freezing.
 */
final class UnitView {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A report with what this worker knows of its freshness. */
    record Source(StatusBoard.Report report, long ageMillis, boolean stale) {
        String kind() {
            return report.kind();
        }

        JsonNode figures() {
            return report.figures();
        }
    }

    private final String unit;
    private final List<Source> sources;

    UnitView(String unit, List<Source> sources) {
        this.unit = unit;
        this.sources = sources;
    }

    String unit() {
        return unit;
    }

    List<Source> of(String kind) {
        return sources.stream().filter(s -> s.kind().equals(kind)).toList();
    }

    boolean has(String kind) {
        return !of(kind).isEmpty();
    }

    /** A lane's replication lag: the largest p99 and max of its tasks, and the median weighted by changes. */
    record Lag(long p50, long p99, long max, long changes, boolean stale, long newestPublishedAt) {}

    Lag lag(String kind) {
        long p99 = 0;
        long max = 0;
        long changes = 0;
        double weighted = 0;
        boolean stale = false;
        long newest = 0;
        for (Source source : of(kind)) {
            JsonNode lag = source.figures().path("lag_ms");
            long n = lag.path("changes").asLong();
            changes += n;
            weighted += n * lag.path("p50").asDouble();
            p99 = Math.max(p99, lag.path("p99").asLong());
            max = Math.max(max, lag.path("max").asLong());
            stale |= source.stale() && !source.report().stopped();
            newest = Math.max(newest, source.report().publishedAt());
        }
        return new Lag(changes == 0 ? 0 : Math.round(weighted / changes), p99, max, changes, stale, newest);
    }

    /** The unit's last full reconciliation over every key range, if each range has finished one. */
    record Verification(
            int rangesReporting,
            int rangesExpected,
            Long oldestCompletedAt,
            Double lowestAlignment,
            long legacyRows,
            long targetRows) {
        boolean complete() {
            return rangesExpected > 0 && rangesReporting == rangesExpected && oldestCompletedAt != null;
        }
    }

    Verification lastFullReconciliation() {
        List<Source> reconcilers = of("RECONCILER");
        int expected = 0;
        int reporting = 0;
        Long oldest = null;
        Double lowest = null;
        long legacy = 0;
        long target = 0;
        for (Source source : reconcilers) {
            String range = source.figures().path("range").asText("0/1");
            int slash = range.indexOf('/');
            expected = Math.max(expected, slash < 0 ? 1 : Integer.parseInt(range.substring(slash + 1)));
            JsonNode full = source.figures().path("last_full_run");
            if (full.isMissingNode()) {
                continue;
            }
            reporting++;
            long completed = full.path("completed_at_ms").asLong();
            oldest = oldest == null ? completed : Math.min(oldest, completed);
            double alignment = full.path("alignment_pct").asDouble();
            lowest = lowest == null ? alignment : Math.min(lowest, alignment);
            legacy += full.path("legacy_rows").asLong();
            target += full.path("target_rows").asLong();
        }
        return new Verification(reporting, expected, oldest, lowest, legacy, target);
    }

    long sum(String kind, String group, String name) {
        return of(kind).stream()
                .mapToLong(s -> s.figures().path(group).path(name).asLong())
                .sum();
    }

    double rate(String kind, String name) {
        return of(kind).stream()
                .filter(s -> !s.stale())
                .mapToDouble(s -> s.figures().path("per_second").path(name).asDouble())
                .sum();
    }

    /** Open drift over every key range, by severity and by kind. */
    Map<String, Long> openDrift(String by) {
        Map<String, Long> counts = new TreeMap<>();
        for (Source source : of("RECONCILER")) {
            Iterator<Map.Entry<String, JsonNode>> fields =
                    source.figures().path("open_drift").path(by).fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                counts.merge(field.getKey(), field.getValue().asLong(), Long::sum);
            }
        }
        return counts;
    }

    /** The earliest first detection among the open drift of the given severities, or {@code null}. */
    Long oldestOpenDrift(Predicate<String> severity) {
        Long oldest = null;
        for (Source source : of("RECONCILER")) {
            Iterator<Map.Entry<String, JsonNode>> fields = source.figures()
                    .path("open_drift")
                    .path("oldest_first_detected_ms_by_severity")
                    .fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (severity.test(field.getKey())) {
                    long first = field.getValue().asLong();
                    oldest = oldest == null ? first : Math.min(oldest, first);
                }
            }
        }
        return oldest;
    }

    ObjectNode sources() {
        ObjectNode node = JSON.createObjectNode();
        ArrayNode tasks = node.putArray("tasks");
        List<Source> sorted = new ArrayList<>(sources);
        sorted.sort((a, b) -> {
            int byConnector = a.report().connector().compareTo(b.report().connector());
            return byConnector != 0
                    ? byConnector
                    : Integer.compare(a.report().task(), b.report().task());
        });
        for (Source source : sorted) {
            ObjectNode task = tasks.addObject();
            task.put("kind", source.kind());
            task.put("connector", source.report().connector());
            task.put("task", source.report().task());
            task.put("state", source.report().value().path("state").asText());
            task.put("published_at_ms", source.report().publishedAt());
            task.put("age_ms", source.ageMillis());
            task.put("stale", source.stale());
        }
        return node;
    }
}
