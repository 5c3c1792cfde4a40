package io.rollingmigration.connect.reconcile.run;

import com.google.common.util.concurrent.RateLimiter;
import io.rollingmigration.connect.reconcile.compare.Judge;
import io.rollingmigration.connect.reconcile.compare.LegacyRow;
import io.rollingmigration.connect.reconcile.compare.TargetRow;
import io.rollingmigration.connect.reconcile.compare.Verdict;
import io.rollingmigration.connect.reconcile.digest.BucketFilter;
import io.rollingmigration.connect.reconcile.digest.DigestPlan;
import io.rollingmigration.connect.reconcile.digest.Digests;
import io.rollingmigration.connect.reconcile.digest.RowSelection;
import io.rollingmigration.connect.reconcile.digest.SideBySide;
import io.rollingmigration.connect.reconcile.drift.Drift;
import io.rollingmigration.connect.reconcile.drift.OpenDrift;
import io.rollingmigration.connect.reconcile.drift.OpenDriftSet;
import io.rollingmigration.connect.reconcile.drift.RunFigures;
import io.rollingmigration.connect.reconcile.pairing.LineagePairing;
import io.rollingmigration.connect.reconcile.pairing.Pairing;
import io.rollingmigration.connect.reconcile.store.AppliedRows;
import io.rollingmigration.connect.reconcile.store.KeyRange;
import io.rollingmigration.connect.reconcile.store.LegacyTable;
import io.rollingmigration.connect.reconcile.store.TargetTable;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One comparison of a key range, done in small steps so that memory holds at most a chunk per side plus the
 * suspects. A difference is first held as suspect; it becomes drift only if it persists after the recheck delay
 * and the pipeline has applied the legacy change it is about (lag awareness), so changes in flight are counted as
 * such, never reported. Open drift that comes back into line is resolved.
 */
public final class Run {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Run.class);

    /** Lineage commit times are Debezium's {@code source.ts_ms}: cut to the millisecond. */
    private static final Duration LINEAGE_TIME_STEP = Duration.ofMillis(1);
    private static final int DIGEST_CHUNK_FACTOR = 8;

    /** The run's limits. */
    public record Settings(int chunkSize, long recheckDelayMillis, long recheckMaxWaitMillis, int suspectsMax,
                           int rowsPerSecond) {
    }

    private final RunState state;
    private final KeyRange range;
    private LegacyTable legacy;
    private TargetTable target;
    private Judge judge;
    private Pairing pairing;
    private final OpenDriftSet open;
    private final Settings settings;
    private final RateLimiter limiter;
    private final Set<String> seenOpen = new HashSet<>();
    private final Set<String> judgedSourceKeys = new HashSet<>();
    private final SuspectQueue suspects = new SuspectQueue();
    private final PipelineProgress progress;
    private final DigestPlan digestPlan;
    private BucketFilter buckets;
    private boolean digested;
    private boolean walkDiffering;
    private boolean appliedRead;
    private AppliedRows applied;
    private final java.util.function.LongSupplier clock;

    /**
     * @param digestPlan the hash pushdown, or {@code null} to compare every row one by one
     * @param clock      the time a difference is seen: read after the queries that showed it, not before
     */
    public Run(RunState state, KeyRange range, LegacyTable legacy, TargetTable target, Judge judge,
               OpenDriftSet open, Settings settings, DigestPlan digestPlan, java.util.function.LongSupplier clock) {
        this(state, range, legacy, target, judge, new LineagePairing(legacy, target, judge, settings.chunkSize()),
                open, settings, digestPlan, clock);
    }

    /** @param pairing how rows of the two stores are found to belong together */
    public Run(RunState state, KeyRange range, LegacyTable legacy, TargetTable target, Judge judge, Pairing pairing,
               OpenDriftSet open, Settings settings, DigestPlan digestPlan, java.util.function.LongSupplier clock) {
        this.pairing = pairing;
        this.clock = clock;
        this.digestPlan = digestPlan;
        this.state = state;
        this.range = range;
        this.legacy = legacy;
        this.target = target;
        this.judge = judge;
        this.open = open;
        this.settings = settings;
        this.limiter = settings.rowsPerSecond() > 0 ? RateLimiter.create(settings.rowsPerSecond()) : null;
        this.progress = new PipelineProgress(target);
    }

    /** Continues over new connections after a database failure, keeping the position and the suspects. */
    public void reattach(LegacyTable legacyTable, TargetTable targetTable, Judge newJudge, Pairing newPairing) {
        this.pairing = newPairing;
        this.legacy = legacyTable;
        this.target = targetTable;
        this.judge = newJudge;
        this.progress.reattach(targetTable);
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
            case LEGACY:
                if (room) {
                    legacyChunk(now, out);
                }
                break;
            case TARGET:
                if (room) {
                    targetChunk(now, out);
                }
                break;
            case OPEN_DRIFT:
                openDriftChunk(now, out);
                break;
            case SETTLE:
                if (suspects.isEmpty()) {
                    state.advance(Phase.DONE);
                }
                break;
            default:
                break;
        }
        return out;
    }

    /** True when the next step would only wait for suspects to fall due. */
    public boolean waitingForRechecks(long now) {
        return (state.phase() == Phase.SETTLE || suspects.size() >= settings.suspectsMax())
                && suspects.nextDue() > now;
    }

    private void legacyChunk(long now, RunOutput out) throws SQLException {
        if (!state.full() && !state.legacyIncremental()) {
            state.advance(Phase.TARGET);
            return;
        }
        if (limiter != null && !limiter.tryAcquire(settings.chunkSize(), 1, TimeUnit.SECONDS)) {
            return;
        }
        RowSelection selection = selection();
        if (buckets != null && buckets.differing() == 0) {
            state.advance(Phase.OPEN_DRIFT);
            return;
        }
        if (buckets != null && state.position() == null && !walkDiffering
                && buckets.largestSideOfDiffering(range.index(), range.count()) <= wholeDescentLimit()
                && judgeDifferingBuckets(selection, now, out)) {
            return;
        }
        if (!state.full() && digestPlan != null) {
            changedChunkByDigest(now, out, selection);
            return;
        }
        List<LegacyRow> rows = legacy.chunk(range, state.position(), state.full() ? null : state.legacySince(),
                settings.chunkSize(), selection);
        if (!rows.isEmpty()) {
            RunFigures figures = state.figures();
            figures.legacyRowsRead(rows.size());
            Map<String, List<TargetRow>> targets = pairing.targetsOf(rows);
            for (LegacyRow row : rows) {
                if (!state.full()) {
                    judgedSourceKeys.add(row.sourceKey());
                }
                figures.compared(1);
                for (Verdict verdict : judge.judge(row.sourceKey(), row, targets.getOrDefault(row.sourceKey(),
                        List.of()))) {
                    consider(verdict, now, out);
                }
            }
            state.moveTo(rows.get(rows.size() - 1).sourceKey());
        }
        if (rows.size() < settings.chunkSize()) {
            state.advance(Phase.TARGET);
        }
    }

    private void targetChunk(long now, RunOutput out) throws SQLException {
        if (applied != null && !state.full()) {
            appliedKeysChunk(now, out);
            return;
        }
        List<TargetRow> rows;
        if (state.full()) {
            Pairing.TargetChunk chunk = pairing.walkTarget(range, state.position(), settings.chunkSize(), selection());
            rows = chunk.rows();
            state.figures().targetRowsRead(rows.size());
            for (Verdict verdict : chunk.unpaired()) {
                state.figures().compared(1);
                consider(verdict, now, out);
            }
            if (!rows.isEmpty()) {
                state.moveTo(chunk.position());
            }
        } else {
            rows = target.appliedSince(range, state.targetSince(), state.position(), settings.chunkSize(),
                    selection());
            if (!rows.isEmpty()) {
                state.figures().targetRowsRead(rows.size());
                List<Pairing.Keys> keys = new ArrayList<>();
                for (TargetRow row : rows) {
                    if (judgedSourceKeys.add(row.sourceKey())) {
                        keys.add(new Pairing.Keys(row.sourceKey(), row.targetKey()));
                    }
                }
                state.figures().compared(keys.size());
                for (Verdict verdict : pairing.judgeAgain(keys)) {
                    consider(verdict, now, out);
                }
                state.moveTo(target.positionOf(rows.get(rows.size() - 1)));
            }
        }
        if (rows.size() < settings.chunkSize()) {
            state.advance(Phase.OPEN_DRIFT);
        }
    }

    /**
     * An incremental chunk under the hash pushdown: changed legacy rows and their target rows are compared by their
     * digests, computed in SQL; only keys whose digests differ go through the comparison one by one. The first chunk
     * also reads, at the same time, the keys of the target rows applied since the last run, so that the target phase
     * needs no walk of its own. Open drift of a key that matches is rechecked, and resolved, at the end of the run.
     */
    private void changedChunkByDigest(long now, RunOutput out, RowSelection selection) throws SQLException {
        int limit = digestChunkSize();
        List<LegacyRow> rows;
        if (!appliedRead) {
            appliedRead = true;
            DigestPlan appliedDigests = digestPlan.oneTargetRowPerLegacyKey() ? digestPlan : null;
            SideBySide.Results<List<LegacyRow>, AppliedRows> both = SideBySide.run(
                    () -> legacy.digestChunk(range, state.position(), state.legacySince(), limit, selection,
                            digestPlan),
                    () -> target.appliedRows(range, state.targetSince(), limit, selection, appliedDigests));
            rows = both.legacy();
            applied = both.target();
            if (applied != null) {
                state.figures().targetRowsRead(applied.size());
            }
        } else {
            rows = legacy.digestChunk(range, state.position(), state.legacySince(), limit, selection, digestPlan);
        }
        if (!rows.isEmpty()) {
            Map<String, List<Long>> targetDigests = targetDigests(rows);
            Set<String> differing = new LinkedHashSet<>();
            long matched = 0;
            for (LegacyRow row : rows) {
                judgedSourceKeys.add(row.sourceKey());
                List<Long> targets = targetDigests.get(row.sourceKey());
                if (targets != null && targets.size() == 1
                        && targets.get(0).equals(row.values().get(DigestPlan.ROW_DIGEST))) {
                    matched++;
                } else {
                    differing.add(row.sourceKey());
                }
            }
            RunFigures figures = state.figures();
            figures.legacyRowsRead(rows.size());
            figures.compared(rows.size());
            figures.countMatches(matched);
            for (Verdict verdict : judgeByKeys(differing)) {
                consider(verdict, now, out);
            }
            state.moveTo(rows.get(rows.size() - 1).sourceKey());
        }
        if (rows.size() < limit) {
            state.advance(Phase.TARGET);
        }
    }

    /**
     * The digests of the live target rows of changed legacy rows. Where the pipeline writes one target row per legacy
     * key, a key's row applied since the last run is its only one, so only keys without such a row are looked up
     * (those the pipeline has not applied yet, or whose change left the target row as it was).
     */
    private Map<String, List<Long>> targetDigests(List<LegacyRow> rows) throws SQLException {
        Map<String, List<Long>> found = new HashMap<>();
        List<String> lookUp = new ArrayList<>();
        for (LegacyRow row : rows) {
            List<Long> digests = applied == null ? null : applied.liveDigests(row.sourceKey());
            if (digests == null) {
                lookUp.add(row.sourceKey());
            } else if (!digests.isEmpty()) {
                found.put(row.sourceKey(), digests);
            }
        }
        if (!lookUp.isEmpty()) {
            found.putAll(target.rowDigests(lookUp, settings.chunkSize(), digestPlan));
        }
        return found;
    }

    /**
     * The target phase of an incremental run whose first chunk read the keys of every target row applied since the
     * last run: those the legacy phase did not compare are compared now, a chunk at a time.
     */
    private void appliedKeysChunk(long now, RunOutput out) throws SQLException {
        Set<String> keys = new LinkedHashSet<>();
        for (String key : applied.keys()) {
            if (keys.size() == settings.chunkSize()) {
                break;
            }
            if (judgedSourceKeys.add(key)) {
                keys.add(key);
            }
        }
        state.figures().compared(keys.size());
        for (Verdict verdict : judgeByKeys(keys)) {
            consider(verdict, now, out);
        }
        if (keys.size() < settings.chunkSize()) {
            state.advance(Phase.OPEN_DRIFT);
        }
    }

    /** Digest rows carry a key and a number only: a chunk of them holds this many times a chunk of whole rows. */
    private int digestChunkSize() {
        return DIGEST_CHUNK_FACTOR * settings.chunkSize();
    }

    /**
     * Most rows per side in differing buckets that are read whole and compared in memory instead of walked in key
     * order: a few chunks, so that memory stays bounded by the chunk size.
     */
    private int wholeDescentLimit() {
        return 4 * settings.chunkSize();
    }

    /**
     * The few rows of differing buckets, read whole by one scan of each side (both at once) and compared in memory:
     * cheaper than walking both tables in key order through the filter, or than looking each key up.
     */
    private boolean judgeDifferingBuckets(RowSelection selection, long now, RunOutput out) throws SQLException {
        int limit = wholeDescentLimit() + 1;
        SideBySide.Results<List<LegacyRow>, List<TargetRow>> found = SideBySide.run(
                () -> legacy.chunk(range, null, null, limit, selection), () -> target.rowsIn(range, limit, selection));
        if (found.legacy().size() >= limit || found.target().size() >= limit) {
            // The tables changed since the digests: more rows than memory should hold; walk them instead.
            walkDiffering = true;
            return false;
        }
        Map<String, LegacyRow> legacyRows = new HashMap<>();
        Set<String> keys = new LinkedHashSet<>();
        for (LegacyRow row : found.legacy()) {
            legacyRows.put(row.sourceKey(), row);
            keys.add(row.sourceKey());
        }
        Map<String, List<TargetRow>> targetRows = new HashMap<>();
        long liveTargetRows = 0;
        for (TargetRow row : found.target()) {
            targetRows.computeIfAbsent(row.sourceKey(), k -> new ArrayList<>(1)).add(row);
            if (!row.deleted()) {
                liveTargetRows++;
                keys.add(row.sourceKey());
            }
        }
        RunFigures figures = state.figures();
        figures.legacyRowsRead(legacyRows.size());
        figures.targetRowsRead(liveTargetRows);
        figures.compared(keys.size());
        // Past the legacy phase first: target-only keys are already counted among the compared.
        state.advance(Phase.OPEN_DRIFT);
        for (String key : keys) {
            for (Verdict verdict : judge.judge(key, legacyRows.get(key), targetRows.getOrDefault(key, List.of()))) {
                consider(verdict, now, out);
            }
        }
        return true;
    }

    /** Under the hash pushdown, the task's share of rows, in a full run only those of differing buckets. */
    private RowSelection selection() throws SQLException {
        if (digestPlan == null) {
            return null;
        }
        return RowSelection.share(digestPlan, range.index(), range.count(), differingBuckets());
    }

    /**
     * In a full run with the hash pushdown, the buckets whose digests differ, computed once per run (again after a
     * restart, without counting the matching rows twice); {@code null} when every row is compared one by one.
     */
    private BucketFilter differingBuckets() throws SQLException {
        if (digestPlan == null || !state.full()) {
            return null;
        }
        if (!digested) {
            boolean fresh = state.phase() == Phase.LEGACY && state.position() == null
                    && state.figures().compared() == 0;
            long started = System.nanoTime();
            try {
                buckets = Digests.compare(digestPlan, legacy, target, range);
                LOG.info("Hash pushdown of range {}: {} of {} buckets differ; digests took {} ms", range.id(),
                        buckets.differing(), digestPlan.buckets(), (System.nanoTime() - started) / 1_000_000);
            } catch (SQLException e) {
                if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                    throw e;
                }
                LOG.warn("The hash pushdown failed ({}); this run compares every row one by one", e.getMessage());
                legacy.recover();
                target.recover();
                buckets = null;
            }
            digested = true;
            if (fresh && buckets != null) {
                long legacyRows = buckets.matchedLegacyRows(range.index(), range.count());
                RunFigures figures = state.figures();
                figures.legacyRowsRead(legacyRows);
                figures.targetRowsRead(buckets.matchedTargetRows(range.index(), range.count()));
                figures.compared(legacyRows);
                figures.countMatches(legacyRows);
            }
        }
        return buckets;
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
        for (Verdict verdict : pairing.judgeAgain(keys)) {
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
        if (verdict.drift().kind().withoutLegacyRow()
                && state.phase() == Phase.LEGACY) {
            state.figures().compared(1);
        }
        if (known != null) {
            confirm(verdict.drift(), known.firstDetected(), known.rechecks() + 1, out);
        } else if (!suspects.contains(key)) {
            suspects.hold(verdict, seenAt(now), delay(now));
        }
    }

    private void recheckDue(long now, RunOutput out) throws SQLException {
        List<Suspect> due = suspects.takeDue(now, settings.chunkSize());
        if (due.isEmpty()) {
            return;
        }
        Map<String, Pairing.Keys> keys = new LinkedHashMap<>();
        due.forEach(s -> keys.putIfAbsent(s.verdict().targetKey(),
                new Pairing.Keys(s.verdict().sourceKey(), s.verdict().targetKey())));
        // Read before the rows, never after: a position read after them could include a change applied since they
        // were read, and a difference that change removed would be judged against it as if it were still there.
        Instant applied = progress.appliedPosition(now);
        long legacyReadFrom = clock.getAsLong();
        Map<String, Verdict> verdicts = new HashMap<>();
        for (Verdict verdict : pairing.judgeAgain(keys.values())) {
            verdicts.put(verdict.targetKey(), verdict);
        }
        for (Suspect suspect : due) {
            Verdict verdict = verdicts.remove(suspect.verdict().targetKey());
            if (verdict == null || verdict.matches()) {
                state.figures().countInFlight();
                continue;
            }
            boolean behind = pipelineBehind(verdict, applied) || legacyReadBehind(verdict, legacyReadFrom)
                    || deleteMayBeInFlight(verdict, applied, suspect.firstSeen(), now);
            if (behind && now - suspect.firstSeen() < settings.recheckMaxWaitMillis()) {
                // Waiting for the pipeline: no point asking again sooner than the applied position is refreshed.
                suspects.requeue(suspect, verdict, now, Math.max(delay(now), PipelineProgress.POSITION_REFRESH_MILLIS));
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
     * time down to Debezium's millisecond. Compared exactly, a target holding the row's last change would look
     * behind it, and a real difference would be held as in flight until {@code recheck.max.wait.ms}.
     */
    private boolean pipelineBehind(Verdict verdict, Instant applied) {
        Instant legacyChange = verdict.legacyChangeAt();
        if (legacyChange == null) {
            return false;
        }
        Instant reflected = verdict.targetChangeAt() != null ? verdict.targetChangeAt() : applied;
        return reflected == null
                || reflected.plus(legacy.changeResolution()).plus(LINEAGE_TIME_STEP).isBefore(legacyChange);
    }

    /**
     * A target row without a legacy row may be a legacy delete still on its way, and a deleted row leaves no change
     * time to wait for. While the pipeline is moving (it wrote the target less than a recheck delay ago), such a
     * difference waits until the pipeline has applied a change committed after the row was first seen missing,
     * since the delete was committed before that. A pipeline that has gone quiet has nothing in flight, and the
     * delay alone applies.
     */
    private boolean deleteMayBeInFlight(Verdict verdict, Instant applied, long firstSeen, long now)
            throws SQLException {
        if (verdict.legacyChangeAt() != null || verdict.drift() == null
                || !verdict.drift().kind().withoutLegacyRow()
                || applied == null || applied.toEpochMilli() >= firstSeen) {
            return false;
        }
        return progress.wroteWithin(now, delay(now));
    }

    private void confirm(Drift drift, long firstDetected, long rechecks, RunOutput out) {
        OpenDrift state = new OpenDrift(drift.targetKey(), drift.legacyKey(), drift.kind(), drift.severity(),
                range.id(), firstDetected, rechecks);
        open.put(state);
        seenOpen.add(drift.targetKey());
        this.state.figures().drift(drift);
        out.report(drift, state);
    }

    private List<Verdict> judgeByKeys(Set<String> sourceKeys) throws SQLException {
        List<Pairing.Keys> keys = new ArrayList<>(sourceKeys.size());
        sourceKeys.forEach(key -> keys.add(new Pairing.Keys(key, null)));
        return pairing.judgeAgain(keys);
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

    /** The lag last observed in the target, in milliseconds. */
    public long observedLagMillis() {
        return progress.lastLagMillis();
    }
}
