package io.rollingmigration.connect.common.lane;

import io.rollingmigration.connect.common.dialect.BookkeepingTable;
import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.dialect.Where;
import java.sql.Connection;
import java.sql.JDBCType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The transactions each lane committed, kept in the service's store, so that the other lane can tell its own
 * changes coming back (echoes) from genuine ones by fact: the change's transaction id, which Debezium's PostgreSQL
 * source block carries as {@code txId} (the low 32 bits of {@code txid_current()}). The id wraps after about four
 * billion transactions, so a match also needs the change's commit time within {@link #MATCH_WINDOW} of the
 * recording, and rows are purged after a retention: a wrapped id can never match an old row.
 */
public final class LaneTransactions {

    /** Which lane committed the transaction. */
    public enum Lane {
        /** The forward sink, writing legacy changes into the service's store. */
        FORWARD,
        /** The write-back sink, writing the service's changes into legacy. */
        WRITEBACK
    }

    /** A change to check: its transaction's 32-bit id and its commit time. */
    public record Candidate(long transactionId, long committedAtMillis) {}

    static final String LANE = "lane";
    static final String TRANSACTION_ID = "transaction_id";
    static final String SHORT_ID = "short_id";
    static final String CONNECTOR = "connector";
    static final String RECORDED_AT = "recorded_at_ms";
    /** How far a change's commit time may be from the recording and still be its echo (clocks of two servers). */
    static final Duration MATCH_WINDOW = Duration.ofMinutes(10);

    private static final long LOW_32_BITS = 0xFFFF_FFFFL;
    private static final int LOOKUP_CHUNK = 500;

    private final SqlDialect dialect;
    private final TableId table;
    private final String connector;

    public LaneTransactions(SqlDialect dialect, TableId table, String connector) {
        this.dialect = dialect;
        this.table = table;
        this.connector = connector;
    }

    /** Creates the table and its look-up index if missing, and commits. */
    public void ensureTable(Connection connection) throws SQLException {
        LinkedHashMap<String, String> columns = new LinkedHashMap<>();
        columns.put(LANE, dialect.requiredColumn(JDBCType.VARCHAR, 16));
        columns.put(TRANSACTION_ID, dialect.requiredColumn(JDBCType.BIGINT, 0));
        columns.put(SHORT_ID, dialect.requiredColumn(JDBCType.BIGINT, 0));
        columns.put(CONNECTOR, dialect.requiredColumn(JDBCType.VARCHAR, 255));
        columns.put(RECORDED_AT, dialect.requiredColumn(JDBCType.BIGINT, 0));
        BookkeepingTable.ensure(
                connection,
                dialect,
                table,
                columns,
                List.of(LANE, TRANSACTION_ID),
                Map.of(table.table() + "_short_id", List.of(SHORT_ID)));
    }

    /**
     * The id of the caller's current transaction on a connection of a database of this dialect (its own, 64 bits):
     * what a lane records of a transaction it is about to commit, in that database or another.
     */
    public static long currentTransactionId(Connection connection, SqlDialect of) throws SQLException {
        String sql = of.currentTransactionId()
                .orElseThrow(() -> new SQLException(of.name() + " does not report transaction ids to Debezium"));
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Records a transaction of {@code lane} in the caller's transaction on this table's connection. */
    public void record(Connection connection, Lane lane, long transactionId, long nowMillis) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                dialect.insert(table, List.of(LANE, TRANSACTION_ID, SHORT_ID, CONNECTOR, RECORDED_AT)))) {
            insert.setString(1, lane.name());
            insert.setLong(2, transactionId);
            insert.setLong(3, transactionId & LOW_32_BITS);
            insert.setString(4, connector);
            insert.setLong(5, nowMillis);
            insert.executeUpdate();
        }
    }

    /** The candidates that are changes of {@code lane}'s own transactions: its echoes. */
    public Set<Candidate> committedBy(Connection connection, Lane lane, Collection<Candidate> candidates)
            throws SQLException {
        Set<Candidate> echoes = new HashSet<>();
        // The changes of one transaction share a candidate: a batch asks for each transaction once.
        List<Candidate> all = new ArrayList<>(new LinkedHashSet<>(candidates));
        for (int from = 0; from < all.size(); from += LOOKUP_CHUNK) {
            List<Candidate> chunk = all.subList(from, Math.min(all.size(), from + LOOKUP_CHUNK));
            String sql = dialect.selectWhere(
                    table,
                    List.of(SHORT_ID, RECORDED_AT),
                    Where.in(dialect)
                            .compare(LANE, Where.Comparison.EQUAL)
                            .oneOf(SHORT_ID, chunk.size())
                            .text());
            // Recording times by 32-bit id: one id may have been recorded more than once across a wrap-around.
            Map<Long, List<Long>> recorded = new HashMap<>();
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                select.setString(1, lane.name());
                for (int i = 0; i < chunk.size(); i++) {
                    select.setLong(i + 2, chunk.get(i).transactionId() & LOW_32_BITS);
                }
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        recorded.computeIfAbsent(rs.getLong(1), id -> new ArrayList<>())
                                .add(rs.getLong(2));
                    }
                }
            }
            for (Candidate candidate : chunk) {
                for (long at : recorded.getOrDefault(candidate.transactionId() & LOW_32_BITS, List.of())) {
                    if (Math.abs(at - candidate.committedAtMillis()) <= MATCH_WINDOW.toMillis()) {
                        echoes.add(candidate);
                    }
                }
            }
        }
        connection.commit();
        return echoes;
    }

    /**
     * When {@code lane} last recorded a transaction (epoch ms), or {@code null} if it never did: how another plugin
     * tells a lane that is still writing from one that has gone quiet. Reads in the caller's transaction.
     */
    public Long lastRecorded(Connection connection, Lane lane) throws SQLException {
        String sql = dialect.maxOf(
                table,
                RECORDED_AT,
                Where.in(dialect).compare(LANE, Where.Comparison.EQUAL).text());
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, lane.name());
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long at = rs.getLong(1);
                return rs.wasNull() ? null : at;
            }
        }
    }

    /** Forgets the transactions recorded before the cut-off, in the caller's transaction; returns how many. */
    public int purge(Connection connection, long cutoffMillis) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(dialect.purgeDeleted(table, RECORDED_AT))) {
            delete.setLong(1, cutoffMillis);
            return delete.executeUpdate();
        }
    }

    public TableId table() {
        return table;
    }
}
