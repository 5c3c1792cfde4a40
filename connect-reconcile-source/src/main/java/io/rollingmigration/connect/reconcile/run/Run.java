package io.rollingmigration.connect.reconcile.run;

import com.google.common.util.concurrent.RateLimiter;
import io.rollingmigration.connect.common.compare.Judge;
import io.rollingmigration.connect.common.compare.Verdict;
import io.rollingmigration.connect.common.drift.Drift;
import io.rollingmigration.connect.reconcile.digest.DigestPlan;
import io.rollingmigration.connect.reconcile.drift.OpenDrift;
import io.rollingmigration.connect.reconcile.drift.OpenDriftSet;
import io.rollingmigration.connect.reconcile.drift.RunFigures;
import io.rollingmigration.connect.reconcile.pairing.LineagePairing;
import io.rollingmigration.connect.reconcile.pairing.Pairing;
import io.rollingmigration.connect.reconcile.store.KeyRange;
import io.rollingmigration.connect.reconcile.store.LegacyTable;
import io.rollingmigration.connect.reconcile.store.TargetTable;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One comparison of a key range, done in small steps so that memory holds at most a chunk per side plus the
 * suspects. A difference is first held as suspect; it becomes drift only if it persists after the recheck delay
 * and the pipeline has applied the legacy change it is about (lag awareness), so changes in flight are counted as
 * such, never reported. Open drift that comes back into line is resolved.
 */
public final class Run {

    /** How long a pipeline must have written nothing before it counts as quiet, with nothing in flight. */
    static final long QUIET_MILLIS = 10_000;

    /** The run's limits. */
    public record Settings(
            int chunkSize, long recheckDelayMillis, long recheckMaxWaitMillis, int suspectsMax, int rowsPerSecond) {}

    private final RunState state;
    private final KeyRange range;
    private final RunScope scope;
    private final RunStrategy strategy;
    private final OpenDriftSet open;
    private final Settings settings;
    private final RateLimiter limiter;
    private final Set<String> seenOpen = new HashSet<>();
    private final SuspectQueue suspects = new SuspectQueue();
    private final PipelineProgress progress;
    private final LongSupplier clock;

    /**
     * @param pairing    how rows of the two stores are found to belong together
     * @param digestPlan the hash pushdown, or {@code null} to compare every row one by one
     * @param clock      the time a difference is seen: read after the queries that showed it, not before
     */
    public Run(
            RunState state,
            KeyRange range,
            LegacyTable legacy,
            TargetTable target,
            Judge judge,
            Pairing pairing,
            OpenDriftSet open,
            Settings settings,
            DigestPlan digestPlan,
            LongSupplier clock) {
        this.clock = clock;
        this.state = state;
        this.range = range;
        this.open = open;
        this.settings = settings;
        this.limiter = settings.rowsPerSecond() > 0 ? RateLimiter.create(settings.rowsPerSecond()) : null;
        this.progress = new PipelineProgress(target);
        this.scope = new RunScope(state, range, settings, digestPlan);
        scope.attach(legacy, target, judge, pairing);
        this.strategy = RunStrategy.of(scope);
    }

    /** Pairs rows by the lineage the sink writes: one target row per legacy row, found by its source key. */
    public Run(
            RunState state,
            KeyRange range,
            LegacyTable legacy,
            TargetTable target,
            Judge judge,
            OpenDriftSet open,
            Settings settings,
            DigestPlan digestPlan,
            LongSupplier clock) {
        this(
                state,
                range,
                legacy,
                target,
                judge,
                new LineagePairing(legacy, target, judge, settings.chunkSize()),
                open,
                settings,
                digestPlan,
                clock);
    }

    /** Continues over new connections after a database failure, keeping the position and the suspects. */
    public void reattach(LegacyTable legacyTable, TargetTable targetTable, Judge newJudge, Pairing newPairing) {
        scope.attach(legacyTable, targetTable, newJudge, newPairing);
        progress.reattach(targetTable);
    }

    public RunState state() {
        return state;
    }

    public RunFigures figures() {
        return state.figures();
    }

    public boolean finished() {
        return state.phase() == Phase.DONE;
    }

    /** How many suspects are held: differences waiting for their recheck. */
    public int suspects() {
        return suspects.size();
    }

    /** Does a bounded amount of work: due rechecks, then one chunk of the current phase. */
    public RunOutput step(long now) throws SQLException {
        RunOutput out = new RunOutput();
        recheckDue(now, out);
        boolean room = suspects.size() < settings.suspectsMax();
        switch (state.phase()) {
            case LEGACY -> {
                if (room) {
                    legacyChunk(now, out);
                }
            }
            case TARGET -> {
                if (room) {
                    strategy.targetChunk(verdict -> consider(verdict, now, out));
                }
            }
            case OPEN_DRIFT -> openDriftChunk(now, out);
            case SETTLE -> {
                if (suspects.isEmpty()) {
                    state.advance(Phase.DONE);
                }
            }
            default -> {}
        }
        return out;
    }

    private void legacyChunk(long now, RunOutput out) throws SQLException {
        if (!state.full() && !state.legacyIncremental()) {
            // Without a change column an incremental run cannot tell changed legacy rows: it starts from the target.
            state.advance(Phase.TARGET);
        } else if (limiter == null || limiter.tryAcquire(settings.chunkSize(), 1, TimeUnit.SECONDS)) {
            strategy.legacyChunk(verdict -> consider(verdict, now, out));
        }
    }

    /** True when the next step would only wait for suspects to fall due. */
    public boolean waitingForRechecks(long now) {
        return (state.phase() == Phase.SETTLE || suspects.size() >= settings.suspectsMax())
                && suspects.nextDue(recheckDelayNow(now)) > now;
    }

    private void openDriftChunk(long now, RunOutput out) throws SQLException {
        List<OpenDrift> unseen = open.unseen(range.id(), seenOpen);
        if (unseen.isEmpty()) {
            state.advance(Phase.SETTLE);
            return;
        }
        List<OpenDrift> batch = unseen.subList(0, Math.min(unseen.size(), settings.chunkSize()));
        List<Pairing.Keys> keys = new ArrayList<>();
        batch.forEach(d -> keys.add(new Pairing.Keys(d.legacyKey(), d.targetKey())));
        Map<String, Verdict> verdicts = new HashMap<>();
        for (Verdict verdict : scope.pairing().judgeAgain(keys)) {
            verdicts.put(verdict.targetKey(), verdict);
        }
        for (OpenDrift drift : batch) {
            seenOpen.add(drift.targetKey());
            Verdict verdict = verdicts.remove(drift.targetKey());
            if (verdict == null || verdict.matches()) {
                open.remove(drift.targetKey());
                out.resolve(drift.targetKey());
            } else {
                confirm(verdict.drift(), drift.firstDetected(), drift.rechecks() + 1, out);
            }
        }
        for (Verdict other : verdicts.values()) {
            consider(other, now, out);
        }
    }

    /** A fresh finding: matches settle open drift; differences on open drift are confirmed, others held. */
    private void consider(Verdict verdict, long now, RunOutput out) {
        String key = verdict.targetKey();
        OpenDrift known = open.get(key);
        if (known != null) {
            seenOpen.add(key);
        }
        if (verdict.matches()) {
            state.figures().countMatch();
            if (known != null) {
                open.remove(key);
                out.resolve(key);
            }
            return;
        }
        if (verdict.drift().kind().withoutLegacyRow() && state.phase() == Phase.LEGACY) {
            state.figures().compared(1);
        }
        if (known != null) {
            confirm(verdict.drift(), known.firstDetected(), known.rechecks() + 1, out);
        } else if (!suspects.contains(key)) {
            suspects.hold(verdict, seenAt(now), delay(now));
        }
    }

    private void recheckDue(long now, RunOutput out) throws SQLException {
        List<Suspect> due = suspects.takeDue(now, recheckDelayNow(now), settings.chunkSize());
        if (due.isEmpty()) {
            return;
        }
        Map<String, Pairing.Keys> keys = new LinkedHashMap<>();
        due.forEach(s -> keys.putIfAbsent(
                s.verdict().targetKey(),
                new Pairing.Keys(s.verdict().sourceKey(), s.verdict().targetKey())));
        // Read before the rows, never after: a position read after them could include a change applied since they
        // were read, and a difference that change removed would be judged against it as if it were still there.
        Instant applied = progress.appliedPosition(now);
        long legacyReadFrom = clock.getAsLong();
        Map<String, Verdict> verdicts = new HashMap<>();
        for (Verdict verdict : scope.pairing().judgeAgain(keys.values())) {
            verdicts.put(verdict.targetKey(), verdict);
        }
        for (Suspect suspect : due) {
            Verdict verdict = verdicts.remove(suspect.verdict().targetKey());
            if (verdict == null || verdict.matches()) {
                state.figures().countInFlight();
                continue;
            }
            boolean legacyMoved = legacyMoved(suspect.verdict(), verdict);
            long changeSeen = legacyMoved ? seenAt(now) : suspect.changeSeen();
            boolean behind = legacyMoved
                    || pipelineBehind(verdict, applied)
                    || legacyReadBehind(verdict, legacyReadFrom)
                    || deleteMayBeInFlight(verdict, applied, changeSeen, now)
                    || stillSettling(changeSeen, now);
            if (behind && now - suspect.firstSeen() < settings.recheckMaxWaitMillis()) {
                // Waiting for the pipeline: no point asking again sooner than the applied position is refreshed.
                suspects.requeue(suspect, verdict, now, recheckDelayNow(now), changeSeen);
            } else {
                confirm(verdict.drift(), now, suspect.checks() + 1L, out);
            }
        }
        for (Verdict other : verdicts.values()) {
            if (!other.matches() && open.get(other.targetKey()) == null && !suspects.contains(other.targetKey())) {
                suspects.hold(other, seenAt(now), delay(now));
            }
        }
    }

    /**
     * True while less than the recheck delay as of now has passed since the change was seen. The lag may have grown
     * since the suspect was held: sink tasks come back from an outage one after another, and the first ones back
     * move the applied position past changes the later ones' partitions still hold. Read fresh, not from the cache.
     */
    private boolean stillSettling(long changeSeen, long now) {
        return now - changeSeen < Math.max(settings.recheckDelayMillis(), 2 * progress.freshLagMillis(now));
    }

    /**
     * True when the legacy row changed between two looks at a difference: it was updated (a new change time),
     * deleted, or is back. The difference is then about a new change, which may be on its way since this look; a
     * delete judged by when the old difference was first seen would count as applied by any change since then.
     */
    private static boolean legacyMoved(Verdict before, Verdict now) {
        return hasLegacyRow(before) != hasLegacyRow(now)
                || !Objects.equals(before.legacyChangeAt(), now.legacyChangeAt());
    }

    private static boolean hasLegacyRow(Verdict verdict) {
        return verdict.drift() == null || !verdict.drift().kind().withoutLegacyRow();
    }

    /**
     * True when the target row reflects a legacy change committed after the legacy lookup began: the legacy side was
     * read before a change the pipeline delivered while the two lookups ran one after the other, so the two rows
     * are of different moments and prove nothing yet.
     */
    private static boolean legacyReadBehind(Verdict verdict, long legacyReadFrom) {
        Instant reflected = verdict.targetChangeAt();
        return reflected != null && reflected.toEpochMilli() > legacyReadFrom;
    }

    /**
     * True while the target has not applied the legacy change a difference is about: the target row reflects an
     * older legacy commit than the legacy row's last change, or (no target row) the pipeline's applied position is
     * older than it. Without a legacy change column only the delay applies.
     * <p>
     * Both times are rounded: the change column to its own precision (PostgreSQL rounds {@code now()} into a
     * {@code timestamp(3)}, so a row can read half a millisecond after the commit that wrote it), the lineage commit
     * time down to the legacy change stream's resolution (Debezium's millisecond, or the binary log's second for
     * MariaDB: a change in the same second as the commit the target reflects counts as applied; the recheck delay
     * still gives a later change of that second time to arrive). Compared exactly, a target holding the row's last change would look
     * behind it, and a real difference would be held as in flight until {@code recheck.max.wait.ms}.
     */
    private boolean pipelineBehind(Verdict verdict, Instant applied) {
        return verdict.legacyChangeNotYetApplied(
                applied, scope.legacy().changeResolution().plus(scope.legacy().commitTimeResolution()));
    }

    /**
     * A target row without a legacy row may be a legacy delete still on its way, and a deleted row leaves no change
     * time to wait for. While the pipeline is moving (it wrote the target less than a recheck delay ago), such a
     * difference waits until the pipeline has applied a change committed after the row was first seen missing,
     * since the delete was committed before that. A pipeline that has applied no streamed change yet (it is still
     * writing the snapshot, and the change stream waits behind it) has not passed that moment either. A pipeline
     * that has gone quiet has nothing in flight, and the delay alone applies. Quiet means no write for
     * {@link #QUIET_MILLIS} at least: a sink on a loaded worker pauses for seconds between batches (a rebalance, a
     * collection, a large batch), and a pause read as quiet would report a delete on its way as drift. In the reverse
     * direction every difference is like that: the write-back leaves no change time in legacy, so any difference
     * waits while the write-back lane is writing.
     */
    private boolean deleteMayBeInFlight(Verdict verdict, Instant applied, long firstSeen, long now)
            throws SQLException {
        if (verdict.legacyChangeAt() != null
                || verdict.drift() == null
                || !(verdict.drift().kind().withoutLegacyRow() || scope.target().changesUntimed())
                || (applied != null && applied.toEpochMilli() >= firstSeen)) {
            return false;
        }
        return progress.wroteWithin(now, Math.max(delay(now), QUIET_MILLIS));
    }

    private void confirm(Drift drift, long firstDetected, long rechecks, RunOutput out) {
        OpenDrift state = new OpenDrift(
                drift.targetKey(),
                drift.legacyKey(),
                drift.kind(),
                drift.severity(),
                range.id(),
                firstDetected,
                rechecks);
        open.put(state);
        seenOpen.add(drift.targetKey());
        this.state.figures().drift(drift);
        out.report(drift, state);
    }

    /**
     * When a difference was seen: after the queries of the step that showed it. A legacy delete committed while
     * they ran must count as before that moment, or a pipeline that has since applied later changes would make it
     * look applied when it is still on its way.
     */
    private long seenAt(long stepStarted) {
        return Math.max(stepStarted, clock.getAsLong());
    }

    /** The recheck delay: the configured one, or twice the lag observed in the target if that is longer. */
    private long delay(long now) {
        return Math.max(settings.recheckDelayMillis(), 2 * progress.lagMillis(now));
    }

    /**
     * The delay a held suspect needs as of now: the lag it was held with may have gone since (a pipeline catching
     * up after an outage). Never sooner than the applied position is refreshed, as when it is held again.
     */
    private long recheckDelayNow(long now) {
        return Math.max(delay(now), PipelineProgress.POSITION_REFRESH_MILLIS);
    }

    /** The lag last observed in the target, in milliseconds. */
    public long observedLagMillis() {
        return progress.lastLagMillis();
    }
}
