package io.rollingmigration.connect.common.change;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * What orders the versions of a legacy row: the change's place in the legacy server's log, or, for MariaDB, its
 * transaction's GTID, which a replica promoted by a failover continues while its binary log files and offsets
 * start again from its own.
 */
public enum PositionOrder {

    /** The PostgreSQL LSN, or the MySQL/MariaDB binlog file index and offset ({@link SourcePosition}). */
    LOG {
        @Override
        public OptionalLong of(ChangeEvent event) {
            return event.source().position();
        }
    },

    /**
     * MariaDB: the GTID's sequence number in the high 43 bits, the event's order within its transaction (Debezium's
     * transaction metadata, {@code provide.transaction.metadata=true}) in the low 20. A snapshot read is version 0
     * unless its source block names a GTID: it fills rows that no streamed change has written, and never overwrites
     * one. The sequence orders transactions within one replication domain only.
     */
    GTID {
        @Override
        public OptionalLong of(ChangeEvent event) {
            SourceBlock source = event.source();
            String gtid = source.gtid();
            if (gtid == null) {
                if (source.isSnapshot()) {
                    return OptionalLong.of(0);
                }
                throw new DataException("Change event from " + source.table() + " has no GTID in its source block; "
                        + "position.order=gtid needs a MariaDB legacy database (GTIDs are always on there)");
            }
            Matcher matcher = MARIADB_GTID.matcher(gtid);
            if (!matcher.matches()) {
                throw new DataException("Change event from " + source.table() + " has GTID '" + gtid + "', which is "
                        + "not a MariaDB GTID (domain-server-sequence): a MySQL GTID names the server that committed "
                        + "it and orders nothing across servers; use position.order=log");
            }
            long sequence = Long.parseLong(matcher.group(3));
            if (sequence >= 1L << SEQUENCE_BITS) {
                throw new DataException("GTID " + gtid + " of a change from " + source.table()
                        + " has a sequence number above 2^" + SEQUENCE_BITS + "; position.order=gtid cannot order it");
            }
            long order = source.isSnapshot() ? 0 : orderInTransaction(event, gtid);
            return OptionalLong.of((sequence << ORDER_BITS) | order);
        }
    };

    static final int ORDER_BITS = 20;
    static final int SEQUENCE_BITS = 63 - ORDER_BITS;
    private static final Pattern MARIADB_GTID = Pattern.compile("(\\d+)-(\\d+)-(\\d+)");

    /** The change's version as one number, if the event carries what this order needs. */
    public abstract OptionalLong of(ChangeEvent event);

    /** The order named by a setting: {@code log} or {@code gtid}, any case. */
    public static PositionOrder named(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    private static long orderInTransaction(ChangeEvent event, String gtid) {
        Struct transaction = event.transaction();
        Field totalOrder = transaction == null ? null : transaction.schema().field("total_order");
        Object value = totalOrder == null ? null : transaction.get(totalOrder);
        if (!(value instanceof Number number)) {
            throw new DataException("Change event from " + event.source().table() + " (GTID " + gtid + ") has no "
                    + "transaction block with total_order: position.order=gtid needs the Debezium connector's "
                    + "provide.transaction.metadata=true, since two changes of one row in one transaction share "
                    + "their GTID");
        }
        long order = number.longValue();
        if (order < 0 || order >= 1L << ORDER_BITS) {
            throw new DataException("Change event from " + event.source().table() + " is change " + order
                    + " of transaction " + gtid + "; position.order=gtid orders at most " + ((1L << ORDER_BITS) - 1)
                    + " changes per transaction");
        }
        return order;
    }
}
