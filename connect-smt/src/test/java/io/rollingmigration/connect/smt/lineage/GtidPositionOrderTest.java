package io.rollingmigration.connect.smt.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollingmigration.connect.common.lineage.Lineage.Field;
import io.rollingmigration.testsupport.ChangeEvents;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * With {@code position.order=gtid}, a MariaDB legacy row's versions follow its transactions' GTIDs, so they keep
 * their order when a failover moves the stream to a replica whose binary log is numbered from its own start; the
 * binlog position, the default, would not.
 */
class GtidPositionOrderTest {

    private static final ChangeEvents SHOP =
            ChangeEvents.of("shop", "shop", "customer", DebeziumEvents.ROW, ChangeEvents.MYSQL_SOURCE, "id");

    private static ExtractRowWithLineage<SourceRecord> transform(String order) {
        ExtractRowWithLineage<SourceRecord> transform = new ExtractRowWithLineage<>(() -> 1L);
        transform.configure(Map.of("rule", "shop@1", "position.order", order));
        return transform;
    }

    private static SourceRecord change(String file, long pos, String gtid, long totalOrder) {
        Struct source = SHOP.mysqlSource(file, pos).put("gtid", gtid);
        return SHOP.change(
                "u", null, DebeziumEvents.row(7, "Ada", "1.00"), source, ChangeEvents.transaction(gtid, totalOrder));
    }

    private static long position(ExtractRowWithLineage<SourceRecord> transform, SourceRecord change) {
        return (Long) transform
                .apply(change)
                .headers()
                .lastWithName(Field.SOURCE_POSITION.header())
                .value();
    }

    @Test
    void aChangeAfterAFailoverIsNewerByItsGtidThoughItsBinlogPositionIsLower() {
        // The old primary wrote transaction 0-1-500 far into its 120th binlog; the promoted replica writes 0-2-501
        // near the start of its third.
        SourceRecord beforeFailover = change("mariadb-bin.000120", 987_654, "0-1-500", 1);
        SourceRecord afterFailover = change("mariadb-bin.000003", 4_711, "0-2-501", 1);

        ExtractRowWithLineage<SourceRecord> gtid = transform("gtid");
        assertTrue(position(gtid, afterFailover) > position(gtid, beforeFailover));
        ExtractRowWithLineage<SourceRecord> log = transform("log");
        assertTrue(
                position(log, afterFailover) < position(log, beforeFailover),
                "the binlog position restarts on the replica: the sink would skip the newer change as stale");
    }

    @Test
    void twoChangesOfOneRowInOneTransactionAreOrderedByTheirPlaceInIt() {
        ExtractRowWithLineage<SourceRecord> gtid = transform("GTID");
        long first = position(gtid, change("mariadb-bin.000004", 300, "0-1-42", 1));
        long second = position(gtid, change("mariadb-bin.000004", 420, "0-1-42", 2));

        assertTrue(second > first);
        assertEquals(42L, second >>> 20, "the sequence number sits above the order within the transaction");
        assertTrue(position(gtid, change("mariadb-bin.000004", 9_000, "0-1-43", 1)) > second);
    }

    @Test
    void aSnapshotReadIsOlderThanEveryStreamedChange() {
        Struct source = SHOP.mysqlSource("mariadb-bin.000004", 300).put("snapshot", "true");
        SourceRecord read = SHOP.change("r", null, DebeziumEvents.row(7, "Ada", "1.00"), source);

        ExtractRowWithLineage<SourceRecord> gtid = transform("gtid");
        assertEquals(0L, position(gtid, read));
        assertTrue(position(gtid, change("mariadb-bin.000004", 400, "0-1-1", 1)) > 0);
    }

    @Test
    void whatTheOrderCannotUseIsRefusedWithTheReason() {
        ExtractRowWithLineage<SourceRecord> gtid = transform("gtid");
        Struct source = SHOP.mysqlSource("mariadb-bin.000004", 300).put("gtid", "0-1-42");
        SourceRecord withoutTransaction = SHOP.change("u", null, DebeziumEvents.row(7, "Ada", "1.00"), source);
        DataException noMetadata = assertThrows(DataException.class, () -> gtid.apply(withoutTransaction));
        assertTrue(noMetadata.getMessage().contains("provide.transaction.metadata=true"), noMetadata.getMessage());

        SourceRecord mysql = change("binlog.000002", 300, "3e11fa47-71ca-11e1-9e33-c80aa9429562:23", 1);
        DataException notMariaDb = assertThrows(DataException.class, () -> gtid.apply(mysql));
        assertTrue(notMariaDb.getMessage().contains("not a MariaDB GTID"), notMariaDb.getMessage());

        SourceRecord postgres = DebeziumEvents.postgres("u", null, DebeziumEvents.row(7, "Ada", "1.00"), 99L, null);
        DataException noGtid = assertThrows(DataException.class, () -> gtid.apply(postgres));
        assertTrue(noGtid.getMessage().contains("no GTID"), noGtid.getMessage());

        ConfigException unknown = assertThrows(ConfigException.class, () -> transform("commit-time"));
        assertTrue(unknown.getMessage().contains("position.order"), unknown.getMessage());
    }
}
