package io.rollingmigration.connect.reconcile.run;

import io.rollingmigration.connect.reconcile.drift.RunFigures;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a run of one key range stands, and what the next run starts from: everything a source offset carries, so
 * that a restarted or moved task resumes the run where its last committed offset left it, keeps the run numbering
 * and the schedule, and knows since when an incremental run must look.
 */
public final class RunState {

    private final long number;
    private final boolean full;
    private final long startedAt;
    private final long lastFullStartedAt;
    private final Object legacySince;
    private final Instant targetSince;
    private final boolean legacyIncremental;
    private final Object legacyMark;
    private final Instant targetMark;
    private final RunFigures figures;
    private Phase phase;
    private String position;

    RunState(
            long number,
            boolean full,
            long startedAt,
            long lastFullStartedAt,
            Object legacySince,
            Instant targetSince,
            boolean legacyIncremental,
            Object legacyMark,
            Instant targetMark,
            RunFigures figures,
            Phase phase,
            String position) {
        this.number = number;
        this.full = full;
        this.startedAt = startedAt;
        this.lastFullStartedAt = lastFullStartedAt;
        this.legacySince = legacySince;
        this.targetSince = targetSince;
        this.legacyIncremental = legacyIncremental;
        this.legacyMark = legacyMark;
        this.targetMark = targetMark;
        this.figures = figures;
        this.phase = phase;
        this.position = position;
    }

    /**
     * A new run. An incremental run looks at legacy rows whose change column is at or after the previous run's
     * legacy mark minus the overlap, and at target rows applied since the previous target mark minus the overlap.
     *
     * @param previous      the last completed run, or {@code null}
     * @param changeColumn  true if the legacy table has a declared change column
     * @param legacyMark    the change column's largest value now (the next run's starting point)
     * @param targetMark    the target's newest lineage_applied_at now
     */
    public static RunState begin(
            Completed previous,
            boolean full,
            boolean changeColumn,
            long overlapMillis,
            Object legacyMark,
            Instant targetMark,
            long now) {
        long number = previous == null ? 1 : previous.number() + 1;
        boolean fullRun = full || previous == null;
        Object legacySince = null;
        Instant targetSince = null;
        if (!fullRun) {
            legacySince = minus(previous.legacyMark(), overlapMillis);
            targetSince = previous.targetMark() == null
                    ? Instant.EPOCH
                    : previous.targetMark().minusMillis(overlapMillis);
        }
        boolean legacyIncremental = !fullRun && changeColumn && legacySince != null;
        long lastFull = fullRun ? now : previous.lastFullStartedAt();
        return new RunState(
                number,
                fullRun,
                now,
                lastFull,
                legacySince,
                targetSince,
                legacyIncremental,
                legacyMark,
                targetMark,
                new RunFigures(),
                Phase.LEGACY,
                null);
    }

    /** The run's figures when they were last stored, or a completed run's summary. */
    public record Completed(
            long number,
            long startedAt,
            long completedAt,
            long lastFullStartedAt,
            Object legacyMark,
            Instant targetMark) {}

    public long number() {
        return number;
    }

    public boolean full() {
        return full;
    }

    public String mode() {
        return full ? "full" : "incremental";
    }

    public long startedAt() {
        return startedAt;
    }

    public Phase phase() {
        return phase;
    }

    public String position() {
        return position;
    }

    public Object legacySince() {
        return legacySince;
    }

    public Instant targetSince() {
        return targetSince;
    }

    boolean legacyIncremental() {
        return legacyIncremental;
    }

    public RunFigures figures() {
        return figures;
    }

    void advance(Phase next) {
        phase = next;
        position = null;
    }

    void moveTo(String next) {
        position = next;
    }

    public Completed completed(long now) {
        return new Completed(number, startedAt, now, lastFullStartedAt, legacyMark, targetMark);
    }

    /** The state as a source offset: plain strings and numbers. */
    public Map<String, Object> toOffset() {
        Map<String, Object> offset = new HashMap<>(figures.toOffset());
        offset.put("run", number);
        offset.put("full", full);
        offset.put("phase", phase.name());
        if (position != null) {
            offset.put("position", position);
        }
        offset.put("started_at", startedAt);
        offset.put("last_full_started_at", lastFullStartedAt);
        offset.put("legacy_incremental", legacyIncremental);
        putValue(offset, "legacy_since", legacySince);
        putValue(offset, "legacy_mark", legacyMark);
        if (targetSince != null) {
            offset.put("target_since", targetSince.toEpochMilli());
        }
        if (targetMark != null) {
            offset.put("target_mark", targetMark.toEpochMilli());
        }
        return offset;
    }

    /** The offset of a completed run: what the next run needs. */
    public static Map<String, Object> completedOffset(Completed completed) {
        Map<String, Object> offset = new HashMap<>();
        offset.put("run", completed.number());
        offset.put("phase", Phase.DONE.name());
        offset.put("started_at", completed.startedAt());
        offset.put("completed_at", completed.completedAt());
        offset.put("last_full_started_at", completed.lastFullStartedAt());
        putValue(offset, "legacy_mark", completed.legacyMark());
        if (completed.targetMark() != null) {
            offset.put("target_mark", completed.targetMark().toEpochMilli());
        }
        return offset;
    }

    /** A run in progress from its offset, or {@code null} if the offset holds a completed run (or nothing). */
    public static RunState resume(Map<String, Object> offset) {
        if (offset == null || !offset.containsKey("phase") || Phase.DONE.name().equals(offset.get("phase"))) {
            return null;
        }
        return new RunState(
                number(offset, "run"),
                Boolean.TRUE.equals(offset.get("full")),
                number(offset, "started_at"),
                number(offset, "last_full_started_at"),
                value(offset, "legacy_since"),
                instant(offset, "target_since"),
                Boolean.TRUE.equals(offset.get("legacy_incremental")),
                value(offset, "legacy_mark"),
                instant(offset, "target_mark"),
                RunFigures.fromOffset(offset),
                Phase.valueOf((String) offset.get("phase")),
                (String) offset.get("position"));
    }

    /** The last completed run from an offset, or {@code null}. */
    public static Completed lastCompleted(Map<String, Object> offset) {
        if (offset == null || !Phase.DONE.name().equals(offset.get("phase"))) {
            return null;
        }
        return new Completed(
                number(offset, "run"),
                number(offset, "started_at"),
                number(offset, "completed_at"),
                number(offset, "last_full_started_at"),
                value(offset, "legacy_mark"),
                instant(offset, "target_mark"));
    }

    private static Object minus(Object mark, long millis) {
        if (mark instanceof LocalDateTime localDateTime) {
            return localDateTime.minus(Duration.ofMillis(millis));
        }
        if (mark instanceof Instant instantValue) {
            return instantValue.minusMillis(millis);
        }
        if (mark instanceof LocalDate localDate) {
            return localDate.minusDays((millis + 86_399_999L) / 86_400_000L);
        }
        // A version number: it has no time, so no overlap can be subtracted.
        return mark;
    }

    private static void putValue(Map<String, Object> offset, String name, Object value) {
        if (value == null) {
            return;
        }
        String type;
        if (value instanceof LocalDateTime) {
            type = "timestamp";
        } else if (value instanceof Instant) {
            type = "instant";
        } else if (value instanceof LocalDate) {
            type = "date";
        } else if (value instanceof Long) {
            type = "long";
        } else if (value instanceof BigDecimal) {
            type = "decimal";
        } else {
            type = "text";
        }
        offset.put(name, value instanceof BigDecimal ? ((BigDecimal) value).toPlainString() : value.toString());
        offset.put(name + "_type", type);
    }

    private static Object value(Map<String, Object> offset, String name) {
        Object text = offset.get(name);
        if (text == null) {
            return null;
        }
        String value = text.toString();
        return switch (String.valueOf(offset.get(name + "_type"))) {
            case "timestamp" -> LocalDateTime.parse(value);
            case "instant" -> Instant.parse(value);
            case "date" -> LocalDate.parse(value);
            case "long" -> Long.parseLong(value);
            case "decimal" -> new BigDecimal(value);
            default -> value;
        };
    }

    private static Instant instant(Map<String, Object> offset, String name) {
        Object value = offset.get(name);
        return value instanceof Number ? Instant.ofEpochMilli(((Number) value).longValue()) : null;
    }

    private static long number(Map<String, Object> offset, String name) {
        Object value = offset.get(name);
        return value instanceof Number ? ((Number) value).longValue() : 0L;
    }
}
