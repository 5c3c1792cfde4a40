package io.rollingmigration.sandbox;

import io.rollingmigration.testsupport.PostgresFixture;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The migration story the sandbox plays, one step at a time as the figures allow: backfill while the legacy
 * application writes, the reconciler reaching full alignment, a bug in the new service corrupting a row (drift),
 * the team repairing it (the drift closes), the operator shifting EU's reads (shadow, a canary of 10% then 50%, the
 * service), then moving write ownership of region EU to the new service,
 * and a stray legacy write for EU after the cutover (reported, not applied).
 */
final class Story {

    private enum Step {
        BACKFILL,
        ALIGNED,
        CHOSEN,
        CORRUPTED,
        REPAIRED,
        SHADOW_READS,
        CANARY_10,
        CANARY_50,
        TARGET_READS,
        CUTOVER,
        STRAY_WRITE,
        SERVICE_WRITE,
        HANDING_BACK,
        HANDED_BACK,
        DONE
    }

    private final PostgresFixture postgres;
    private final LegacyDatabase legacy;
    private final LegacyTraffic traffic;
    private final Consumer<String> say;
    /** Whether the write-back lane runs: then the story goes on to the service's writes and the hand-back. */
    private final boolean writesBack;

    private Step step = Step.BACKFILL;
    private long serviceWritten;
    private long handedBackAt;
    private long corruptedId;
    private long failedAtCutover;
    private long cutoverAt;
    private long readStepAt;
    /** Tells what the routing plan's check says of a unit's plan. */
    private final Function<String, List<String>> planCheck;

    Story(
            PostgresFixture postgres,
            LegacyDatabase legacy,
            LegacyTraffic traffic,
            boolean writesBack,
            Function<String, List<String>> planCheck,
            Consumer<String> say) {
        this.writesBack = writesBack;
        this.planCheck = planCheck;
        this.postgres = postgres;
        this.legacy = legacy;
        this.traffic = traffic;
        this.say = say;
        say.accept("story: the backfill starts; Debezium snapshots the legacy customers while the legacy application "
                + "keeps writing");
    }

    /** Whether every step has been played. */
    boolean told() {
        return step == Step.DONE;
    }

    /** Moves the story on if the latest figures allow it. */
    void advance(MigrationStatus status) {
        switch (step) {
            case BACKFILL -> {
                if (status.alignmentPercent() >= 100.0 && status.backfillPercent() >= 99.0) {
                    say.accept("story: backfill done, changes streaming, the reconciler finds the target 100% aligned "
                            + "(changes still in flight are counted as such, not as drift)");
                    step = Step.ALIGNED;
                }
            }
            case ALIGNED -> {
                corruptedId = firstLong(postgres.query(
                        PostgresFixture.TARGET,
                        "SELECT min(id) FROM public.customer " + "WHERE region = 'US' AND lineage_deleted_at IS NULL"));
                traffic.avoid(corruptedId);
                step = Step.CHOSEN;
            }
            case CHOSEN -> {
                // A legacy change of the chosen customer may still be in flight; applied after the corruption, it
                // would overwrite it and the story would wait for drift forever. Corrupt only once the target holds
                // the legacy row's last write, which no later change can follow now that the traffic avoids it.
                List<List<Object>> inLegacy = legacy.query(
                        "SELECT balance, updated_at FROM " + legacy.table() + " WHERE id = " + corruptedId);
                if (inLegacy.isEmpty()) {
                    step = Step.ALIGNED;
                } else if (sameRow(
                        inLegacy,
                        postgres.query(
                                PostgresFixture.TARGET,
                                "SELECT balance, updated_at FROM public.customer "
                                        + "WHERE lineage_deleted_at IS NULL AND id = " + corruptedId))) {
                    postgres.execute(
                            PostgresFixture.TARGET,
                            "UPDATE public.customer SET balance = balance + 1000 " + "WHERE id = " + corruptedId);
                    say.accept("story: a bug in the new service adds 1000 to customer " + corruptedId + "'s balance "
                            + "in the target; watch the open drift");
                    step = Step.CORRUPTED;
                }
            }
            case CORRUPTED -> {
                if (status.openDriftTotal() > 0) {
                    postgres.execute(
                            PostgresFixture.TARGET,
                            "UPDATE public.customer SET balance = balance - 1000 " + "WHERE id = " + corruptedId);
                    say.accept("story: the reconciler reported it as FIELD_MISMATCH drift; the team repairs customer "
                            + corruptedId + " and the drift closes with a tombstone");
                    step = Step.REPAIRED;
                }
            }
            case REPAIRED -> {
                if (status.openDriftTotal() == 0) {
                    planReads("SHADOW", null);
                    readStepAt = status.takenAt();
                    say.accept("story: before writes move, reads do: the operator sets region EU's reads to SHADOW (a "
                            + "row in migration_read_routing); the facade answers from legacy, reads the service "
                            + "too, and the lane compares both through the same rules as the reconciler");
                    step = Step.SHADOW_READS;
                }
            }
            case SHADOW_READS -> {
                long compared = status.readShift().compared().getOrDefault("EU", 0L);
                if (compared >= 20 && status.takenAt() - readStepAt >= 3000) {
                    planReads("CANARY", "10");
                    readStepAt = status.takenAt();
                    say.accept(String.format(
                            Locale.ROOT,
                            "story: shadow reads of EU are %.2f%% aligned over %d compared reads; the operator "
                                    + "starts a canary of 10%%: the service answers one key in ten (the same keys "
                                    + "every time), legacy the rest, and both are still compared",
                            status.readShift().alignmentPercent().getOrDefault("EU", Double.NaN),
                            compared));
                    step = Step.CANARY_10;
                }
            }
            case CANARY_10 -> {
                if (status.readShift().servicePercentByRegion().getOrDefault("EU", 0.0) > 0
                        && status.takenAt() - readStepAt >= 3000) {
                    planReads("CANARY", "50");
                    readStepAt = status.takenAt();
                    say.accept(String.format(
                            Locale.ROOT,
                            "story: the canary of 10%% holds: the service has answered %.1f%% of EU's reads in the "
                                    + "last minute, and %.2f%% of compared reads agree; the operator widens it to 50%%",
                            status.readShift().servicePercentByRegion().get("EU"),
                            status.readShift().alignmentPercent().getOrDefault("EU", Double.NaN)));
                    step = Step.CANARY_50;
                }
            }
            case CANARY_50 -> {
                if (status.takenAt() - readStepAt >= 3000) {
                    planReads("TARGET", null);
                    readStepAt = status.takenAt();
                    List<String> warnings = planCheck.apply("customer");
                    say.accept("story: the canary of 50% holds too; all EU reads now go to the service (TARGET). The "
                            + "plan's check says: "
                            + (warnings.isEmpty() ? "nothing to warn of" : String.join("; ", warnings)));
                    step = Step.TARGET_READS;
                }
            }
            case TARGET_READS -> {
                if (status.takenAt() - readStepAt >= 3000) {
                    traffic.writeOnly("US");
                    requestMove("TARGET");
                    failedAtCutover = status.failed();
                    cutoverAt = status.takenAt();
                    say.accept("story: the legacy application now writes US customers only, and the operator asks "
                            + "for write ownership of region EU to move to the new service (a row in "
                            + "migration_ownership_moves); the forward lane decides it once it has caught up");
                    step = Step.CUTOVER;
                }
            }
            case CUTOVER -> {
                // Give the other gates time to see the new owner (ownership.refresh.ms, 5 s) before the stray write.
                if (moveDone("TARGET") && status.takenAt() - cutoverAt >= 7000) {
                    long eu = firstLong(legacy.query("SELECT min(id) FROM " + legacy.table() + " WHERE region = 'EU'"));
                    legacy.execute("UPDATE " + legacy.table() + " SET name = 'Written after cutover', updated_at = "
                            + legacy.now() + " WHERE id = " + eu);
                    say.accept("story: a forgotten legacy job still writes EU customer " + eu + "; the sink does not "
                            + "apply it and reports it as LEGACY_WRITE_AFTER_CUTOVER (failed count)");
                    step = Step.STRAY_WRITE;
                }
            }
            case STRAY_WRITE -> {
                if (status.failed() > failedAtCutover) {
                    if (!writesBack) {
                        say.accept("story: the stray write is in the dead letter queue, and legacy now differs from "
                                + "the service for that customer; the reconciler holds the difference as a change in "
                                + "flight for up to recheck.max.wait.ms (10 min) and then reports it as drift, unless "
                                + "someone decides first which write wins. That is the whole story: press Ctrl-C to "
                                + "stop");
                        step = Step.DONE;
                        return;
                    }
                    // An EU customer the stray job did not touch, so the service's write is the row's last.
                    serviceWritten = firstLong(postgres.query(
                            PostgresFixture.TARGET,
                            "SELECT max(id) FROM public.customer WHERE region = 'EU' AND lineage_deleted_at IS NULL"));
                    postgres.execute(
                            PostgresFixture.TARGET,
                            "UPDATE public.customer SET name = 'Renamed by the service', updated_at = now() AT TIME "
                                    + "ZONE 'UTC' WHERE id = " + serviceWritten);
                    say.accept("story: the stray write is in the dead letter queue. Meanwhile the new service, which "
                            + "owns EU, renames customer " + serviceWritten
                            + "; the write-back lane carries the change "
                            + "into the legacy table");
                    step = Step.SERVICE_WRITE;
                }
            }
            case SERVICE_WRITE -> {
                List<List<Object>> row =
                        legacy.query("SELECT name FROM " + legacy.table() + " WHERE id = " + serviceWritten);
                if (!row.isEmpty() && "Renamed by the service".equals(row.get(0).get(0))) {
                    requestMove("LEGACY");
                    say.accept("story: legacy holds the service's change to customer " + serviceWritten + " (its echo "
                            + "was dropped, not reported); the operator asks for region EU to go back to legacy, "
                            + "which the write-back lane decides once it has written everything back");
                    step = Step.HANDING_BACK;
                }
            }
            case HANDING_BACK -> {
                if (moveDone("LEGACY")) {
                    traffic.writeOnly(null);
                    handedBackAt = status.takenAt();
                    say.accept("story: " + moveRecord("LEGACY") + "; the legacy application writes EU customers "
                            + "again");
                    step = Step.HANDED_BACK;
                }
            }
            case HANDED_BACK -> {
                // Long enough for the gates to see the owner and the legacy application to write EU again.
                if (status.takenAt() - handedBackAt >= 7000) {
                    say.accept("story: EU is legacy's again and nothing the service wrote while it owned the region is "
                            + "lost. That is the whole story: press Ctrl-C to stop");
                    step = Step.DONE;
                }
            }
            default -> {}
        }
    }

    /** Sets region EU's reads, as an operator does: one row of the routing plan. */
    private void planReads(String mode, String percent) {
        postgres.execute(
                PostgresFixture.TARGET,
                "INSERT INTO migration_read_routing (migration_unit, partition_value, read_mode, canary_percent) "
                        + "VALUES ('customer', 'EU', '" + mode + "', " + (percent == null ? "NULL" : percent) + ") "
                        + "ON CONFLICT (migration_unit, partition_value) DO UPDATE SET read_mode = excluded.read_mode, "
                        + "canary_percent = excluded.canary_percent");
    }

    /** Asks for region EU to move to {@code owner}, as an operator does: a row in the hand-over journal. */
    private void requestMove(String owner) {
        postgres.execute(
                PostgresFixture.TARGET,
                "INSERT INTO migration_ownership_moves (migration_unit, partition_value, to_owner, requested_by) "
                        + "VALUES ('customer', 'EU', '" + owner + "', 'the sandbox operator')");
    }

    private boolean moveDone(String owner) {
        return firstLong(postgres.query(
                        PostgresFixture.TARGET,
                        "SELECT count(*) FROM migration_ownership_moves WHERE to_owner = '" + owner
                                + "' AND status = 'DONE'"))
                > 0;
    }

    /** The journal's record of the last move to {@code owner}, told as a sentence. */
    private String moveRecord(String owner) {
        List<Object> row = postgres.query(
                        PostgresFixture.TARGET,
                        "SELECT decided_by, lane_lag_ms FROM migration_ownership_moves WHERE to_owner = '" + owner
                                + "' AND status = 'DONE' ORDER BY move_id DESC LIMIT 1")
                .get(0);
        return "the move to " + owner + " was decided by " + row.get(0) + " with its lane " + row.get(1)
                + " ms behind, and recorded in migration_ownership_moves";
    }

    /**
     * Whether the legacy and target rows hold the same balance and update time, whatever types the two drivers
     * return them as (decimals of any scale, timestamps as LocalDateTime or java.sql.Timestamp).
     */
    private static boolean sameRow(List<List<Object>> legacyRows, List<List<Object>> targetRows) {
        if (legacyRows.size() != 1 || targetRows.size() != 1) {
            return false;
        }
        List<Object> a = legacyRows.get(0);
        List<Object> b = targetRows.get(0);
        return new BigDecimal(a.get(0).toString())
                                .compareTo(new BigDecimal(b.get(0).toString()))
                        == 0
                && wallClock(a.get(1)).equals(wallClock(b.get(1)));
    }

    private static LocalDateTime wallClock(Object value) {
        return value instanceof Timestamp timestamp ? timestamp.toLocalDateTime() : (LocalDateTime) value;
    }

    private static long firstLong(List<List<Object>> rows) {
        return ((Number) rows.get(0).get(0)).longValue();
    }
}
