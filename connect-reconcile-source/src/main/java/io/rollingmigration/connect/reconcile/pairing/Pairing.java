package io.rollingmigration.connect.reconcile.pairing;

import io.rollingmigration.connect.common.compare.LegacyRow;
import io.rollingmigration.connect.common.compare.TargetRow;
import io.rollingmigration.connect.common.compare.Verdict;
import io.rollingmigration.connect.reconcile.digest.RowSelection;
import io.rollingmigration.connect.reconcile.store.KeyRange;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * How a run finds the rows of one store that belong with rows of the other: through the lineage source key the
 * sink stamps ({@link LineagePairing}, decision 0008), or, for one fragment of target rows fed by several legacy
 * tables, through the aggregate's own key ({@link AggregateKeyPairing}).
 */
public interface Pairing {

    /** A pair to judge again: its legacy key (null when not known) and its target key (null when not known). */
    record Keys(String sourceKey, String targetKey) {}

    /** A chunk of a full run's walk of the target: the rows read, the verdicts of those without a legacy row. */
    record TargetChunk(List<TargetRow> rows, List<Verdict> unpaired, String position) {}

    /**
     * The legacy rows as the spec is to translate them: where a transform gave the aggregate its id in the pipeline
     * (MapId), with that id added, as the pairing found it; otherwise as read.
     */
    default List<LegacyRow> identified(List<LegacyRow> rows) throws SQLException {
        return rows;
    }

    /** The target rows that belong with each legacy row (as {@link #identified} gave it), by the legacy row's key. */
    Map<String, List<TargetRow>> targetsOf(List<LegacyRow> rows) throws SQLException;

    /** Both sides of the given pairs read again and judged. */
    List<Verdict> judgeAgain(Collection<Keys> keys) throws SQLException;

    /** The next chunk of the target's rows in this range after {@code after}, and those without a legacy row. */
    TargetChunk walkTarget(KeyRange range, String after, int limit, RowSelection selection) throws SQLException;
}
