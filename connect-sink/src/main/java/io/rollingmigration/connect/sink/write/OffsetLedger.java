package io.rollingmigration.connect.sink.write;

import io.rollingmigration.connect.common.dialect.BookkeepingTable;
import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.TableId;
import java.sql.Connection;
import java.sql.JDBCType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The consumed offsets kept in the target store itself, written in the same transaction as the rows they produced.
 * After a crash between the database commit and Kafka's offset commit, the task resumes from here: nothing is lost
 * and nothing is applied twice, whether or not the changes carry a usable version.
 */
public final class OffsetLedger {

    static final String CONNECTOR = "connector";
    static final String TOPIC = "topic";
    static final String PARTITION = "kafka_partition";
    static final String NEXT_OFFSET = "next_offset";

    private final SqlDialect dialect;
    private final TableId table;
    private final String connector;

    public OffsetLedger(SqlDialect dialect, TableId table, String connector) {
        this.dialect = dialect;
        this.table = table;
        this.connector = connector;
    }

    /** Creates the ledger table if it is missing, and commits: it is the sink's own bookkeeping, not the target's schema. */
    public void ensureTable(Connection connection) throws SQLException {
        LinkedHashMap<String, String> columns = new LinkedHashMap<>();
        columns.put(CONNECTOR, dialect.requiredColumn(JDBCType.VARCHAR, 255));
        columns.put(TOPIC, dialect.requiredColumn(JDBCType.VARCHAR, 255));
        columns.put(PARTITION, dialect.requiredColumn(JDBCType.INTEGER, 0));
        columns.put(NEXT_OFFSET, dialect.requiredColumn(JDBCType.BIGINT, 0));
        BookkeepingTable.ensure(connection, dialect, table, columns, List.of(CONNECTOR, TOPIC, PARTITION));
    }

    /** The next offset to consume per partition, for those partitions the ledger knows. */
    public Map<TopicPartition, Long> read(Connection connection, Collection<TopicPartition> partitions)
            throws SQLException {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        String sql = dialect.selectWhere(table, List.of(NEXT_OFFSET), List.of(CONNECTOR, TOPIC, PARTITION));
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (TopicPartition partition : partitions) {
                statement.setString(1, connector);
                statement.setString(2, partition.topic());
                statement.setInt(3, partition.partition());
                try (ResultSet rs = statement.executeQuery()) {
                    if (rs.next()) {
                        offsets.put(partition, rs.getLong(1));
                    }
                }
            }
        }
        return offsets;
    }

    /** Records the next offsets inside the caller's transaction. */
    public void record(Connection connection, Map<TopicPartition, Long> nextOffsets) throws SQLException {
        if (nextOffsets.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(dialect.upsert(
                table, List.of(CONNECTOR, TOPIC, PARTITION), List.of(CONNECTOR, TOPIC, PARTITION, NEXT_OFFSET)))) {
            for (Map.Entry<TopicPartition, Long> offset : nextOffsets.entrySet()) {
                statement.setString(1, connector);
                statement.setString(2, offset.getKey().topic());
                statement.setInt(3, offset.getKey().partition());
                statement.setLong(4, offset.getValue());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }
}
