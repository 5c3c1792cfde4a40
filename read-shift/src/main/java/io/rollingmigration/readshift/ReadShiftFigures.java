package io.rollingmigration.readshift;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The read-shift lane's figures over a sliding window, from its feed: shadow alignment per unit and partition (the
 * share of compared reads that matched; reads in flight, untranslatable, failed or skipped are counted apart, never
 * as matches), mismatches by field, read routing per mode and consumer (the share of reads the service answered),
 * and the consumers still reading legacy. Counts are kept in one-minute slots (a tenth of the window when it is
 * shorter), so memory does not grow with traffic. Not thread-safe: one feed reader feeds it, and takes snapshots.
 */
public final class ReadShiftFigures {

    /** Comparisons of one unit and partition over the window. */
    public record Alignment(
            long matched,
            long mismatched,
            long inFlight,
            long untranslatable,
            long failed,
            long skipped,
            Map<String, Long> mismatchesByField) {

        /** Matched of matched and mismatched, in percent; {@code null} before the first comparison. */
        public Double alignmentPercent() {
            long judged = matched + mismatched;
            return judged == 0 ? null : 100.0 * matched / judged;
        }
    }

    /** Reads over the window of one consumer (or one partition): per mode, and by the store that answered. */
    public record Routing(Map<ReadMode, Long> readsByMode, long answeredByLegacy, long answeredByService) {

        /** The service's share of the reads, in percent; {@code null} without reads. */
        public Double servicePercent() {
            long total = answeredByLegacy + answeredByService;
            return total == 0 ? null : 100.0 * answeredByService / total;
        }
    }

    /**
     * The figures as of one moment.
     *
     * @param alignment                 per unit, then partition
     * @param routingByPartition        per unit, then partition
     * @param routingByConsumer         per unit, then consumer
     * @param consumersReadingLegacy    per unit, the consumers with reads legacy answered in the window
     */
    public record Snapshot(
            long atMillis,
            Duration window,
            Map<String, Map<String, Alignment>> alignment,
            Map<String, Map<String, Routing>> routingByPartition,
            Map<String, Map<String, Routing>> routingByConsumer,
            Map<String, Set<String>> consumersReadingLegacy) {}

    private static final class Slot {
        final long start;
        long matched;
        long mismatched;
        long inFlight;
        long untranslatable;
        long failed;
        long skipped;
        final Map<String, Long> fields = new HashMap<>();

        Slot(long start) {
            this.start = start;
        }
    }

    private record Counter(String unit, String partition, String consumer, ReadMode mode, boolean service) {}

    private record Sample(long at, long reads) {}

    private final long windowMillis;
    private final long slotMillis;
    private final Map<String, Map<String, Deque<Slot>>> comparisons = new TreeMap<>();
    /** Per routing counter (one per facade instance): its cumulative samples, oldest first. */
    private final Map<String, Deque<Sample>> samples = new HashMap<>();

    private final Map<String, Counter> counters = new HashMap<>();

    public ReadShiftFigures(Duration window) {
        this.windowMillis = window.toMillis();
        this.slotMillis = Math.max(1, Math.min(60_000, windowMillis / 10));
    }

    public Duration window() {
        return Duration.ofMillis(windowMillis);
    }

    /** One record of the comparisons topic, as {@link KafkaComparisonFeed} writes it. */
    public void comparison(JsonNode record) {
        long at = record.path("at").asLong();
        Deque<Slot> slots = comparisons
                .computeIfAbsent(record.path("unit").asText(), u -> new TreeMap<>())
                .computeIfAbsent(record.path("partition").asText(), p -> new ArrayDeque<>());
        Slot slot = slotFor(slots, at);
        switch (outcome(record)) {
            case MATCH -> slot.matched++;
            case MISMATCH -> {
                slot.mismatched++;
                for (JsonNode field : record.path("fields")) {
                    slot.fields.merge(field.path("name").asText(), 1L, Long::sum);
                }
            }
            case IN_FLIGHT -> slot.inFlight++;
            case UNTRANSLATABLE -> slot.untranslatable++;
            case SKIPPED -> slot.skipped++;
            default -> slot.failed++;
        }
    }

    /** One record of the routing topic: a facade instance's count since it started, for one route. */
    public void routing(JsonNode record) {
        String key = record.path("instance").asText()
                + '\u0000'
                + record.path("unit").asText()
                + '\u0000'
                + record.path("partition").asText()
                + '\u0000'
                + record.path("consumer").asText()
                + '\u0000'
                + record.path("mode").asText()
                + '\u0000'
                + record.path("answered_by").asText();
        ReadMode mode;
        try {
            mode = ReadMode.parse(record.path("mode").asText());
        } catch (InvalidPlan e) {
            return;
        }
        counters.computeIfAbsent(
                key,
                k -> new Counter(
                        record.path("unit").asText(),
                        record.path("partition").asText(),
                        record.path("consumer").asText(),
                        mode,
                        "TARGET".equals(record.path("answered_by").asText())));
        samples.computeIfAbsent(key, k -> new ArrayDeque<>())
                .addLast(new Sample(
                        record.path("at").asLong(), record.path("reads").asLong()));
    }

    /** The figures over the window that ends at {@code nowMillis}. */
    public Snapshot snapshot(long nowMillis) {
        long from = nowMillis - windowMillis;
        Map<String, Map<String, Alignment>> alignment = new TreeMap<>();
        comparisons.forEach((unit, partitions) -> partitions.forEach((partition, slots) -> {
            while (!slots.isEmpty() && slots.peekFirst().start + slotMillis <= from) {
                slots.pollFirst();
            }
            if (slots.isEmpty()) {
                return;
            }
            long[] counts = new long[6];
            Map<String, Long> fields = new TreeMap<>();
            for (Slot slot : slots) {
                counts[0] += slot.matched;
                counts[1] += slot.mismatched;
                counts[2] += slot.inFlight;
                counts[3] += slot.untranslatable;
                counts[4] += slot.failed;
                counts[5] += slot.skipped;
                slot.fields.forEach((field, n) -> fields.merge(field, n, Long::sum));
            }
            alignment
                    .computeIfAbsent(unit, u -> new TreeMap<>())
                    .put(
                            partition,
                            new Alignment(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], fields));
        }));
        Map<String, Map<String, long[]>> byPartition = new TreeMap<>();
        Map<String, Map<String, long[]>> byConsumer = new TreeMap<>();
        Map<String, Map<String, Map<ReadMode, Long>>> modesByPartition = new TreeMap<>();
        Map<String, Map<String, Map<ReadMode, Long>>> modesByConsumer = new TreeMap<>();
        Map<String, Set<String>> onLegacy = new TreeMap<>();
        samples.forEach((key, series) -> {
            long reads = readsSince(series, from);
            if (reads <= 0) {
                return;
            }
            Counter counter = counters.get(key);
            long[] partition = byPartition
                    .computeIfAbsent(counter.unit(), u -> new TreeMap<>())
                    .computeIfAbsent(counter.partition(), p -> new long[2]);
            long[] consumer = byConsumer
                    .computeIfAbsent(counter.unit(), u -> new TreeMap<>())
                    .computeIfAbsent(counter.consumer(), c -> new long[2]);
            partition[counter.service() ? 1 : 0] += reads;
            consumer[counter.service() ? 1 : 0] += reads;
            modesByPartition
                    .computeIfAbsent(counter.unit(), u -> new TreeMap<>())
                    .computeIfAbsent(counter.partition(), p -> new TreeMap<>())
                    .merge(counter.mode(), reads, Long::sum);
            modesByConsumer
                    .computeIfAbsent(counter.unit(), u -> new TreeMap<>())
                    .computeIfAbsent(counter.consumer(), c -> new TreeMap<>())
                    .merge(counter.mode(), reads, Long::sum);
            if (!counter.service()) {
                onLegacy.computeIfAbsent(counter.unit(), u -> new TreeSet<>()).add(counter.consumer());
            }
        });
        return new Snapshot(
                nowMillis,
                window(),
                alignment,
                routing(byPartition, modesByPartition),
                routing(byConsumer, modesByConsumer),
                onLegacy);
    }

    /**
     * The reads a counter made in the window: its latest count less its count when the window began (the latest
     * sample at or before it, else 0: an instance first heard of within the window started within it, as the feed
     * reader starts reading a counting interval or more before the window).
     */
    private static long readsSince(Deque<Sample> series, long from) {
        while (series.size() > 1) {
            Sample first = series.pollFirst();
            if (series.peekFirst().at() > from) {
                series.addFirst(first);
                break;
            }
        }
        Sample first = series.peekFirst();
        Sample last = series.peekLast();
        if (last.at() <= from) {
            return 0;
        }
        return first.at() <= from ? last.reads() - first.reads() : last.reads();
    }

    private static Map<String, Map<String, Routing>> routing(
            Map<String, Map<String, long[]>> reads, Map<String, Map<String, Map<ReadMode, Long>>> modes) {
        Map<String, Map<String, Routing>> routing = new TreeMap<>();
        reads.forEach((unit, byName) ->
                byName.forEach((name, counts) -> routing.computeIfAbsent(unit, u -> new TreeMap<>())
                        .put(name, new Routing(modes.get(unit).get(name), counts[0], counts[1]))));
        return routing;
    }

    private Slot slotFor(Deque<Slot> slots, long at) {
        long start = at - Math.floorMod(at, slotMillis);
        Slot last = slots.peekLast();
        if (last != null && last.start == start) {
            return last;
        }
        if (last != null && last.start > start) {
            // A late record: counted in the slot it falls in, if still kept, else in the oldest.
            for (Slot slot : slots) {
                if (slot.start == start) {
                    return slot;
                }
            }
            return slots.peekFirst();
        }
        Slot slot = new Slot(start);
        slots.addLast(slot);
        return slot;
    }

    private static ReadOutcome outcome(JsonNode record) {
        try {
            return ReadOutcome.valueOf(record.path("outcome").asText());
        } catch (IllegalArgumentException e) {
            return ReadOutcome.SECONDARY_FAILED;
        }
    }
}
