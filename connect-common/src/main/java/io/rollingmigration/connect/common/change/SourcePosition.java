package io.rollingmigration.connect.common.change;

import java.util.OptionalLong;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * Turns a Debezium source block into one number that orders the changes of a row: the version the sink guards on.
 *
 * <ul>
 *   <li>PostgreSQL: the change's LSN. Changes to one row are serialised by row locks, so their LSNs follow commit
 *   order; snapshot reads carry the snapshot's LSN, which is lower than every change streamed after it.</li>
 *   <li>MySQL/MariaDB: binlog file index in the high 28 bits, byte position in the low 36 bits. A binlog file is at
 *   most 1 GiB ({@code max_binlog_size}), far below 2^36.</li>
 * </ul>
 */
public final class SourcePosition {

    static final int BINLOG_POSITION_BITS = 36;

    private SourcePosition() {}

    public static OptionalLong of(Struct source) {
        Object lsn = value(source, "lsn");
        if (lsn instanceof Number numberValue) {
            return OptionalLong.of(numberValue.longValue());
        }
        Object file = value(source, "file");
        Object pos = value(source, "pos");
        if (file != null && pos instanceof Number) {
            return OptionalLong.of(binlog(file.toString(), ((Number) pos).longValue()));
        }
        return OptionalLong.empty();
    }

    /** Encodes {@code mysql-bin.000042} at byte 4711 as one ordered number. */
    static long binlog(String file, long position) {
        int dot = file.lastIndexOf('.');
        long index = Long.parseLong(file.substring(dot + 1));
        return (index << BINLOG_POSITION_BITS) | position;
    }

    private static Object value(Struct struct, String name) {
        Field field = struct.schema().field(name);
        return field == null ? null : struct.get(field);
    }
}
