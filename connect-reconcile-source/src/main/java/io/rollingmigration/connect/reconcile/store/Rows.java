package io.rollingmigration.connect.reconcile.store;

import io.rollingmigration.connect.common.normalize.ValueNormalizer;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads result set rows into the normalised value model, the one the translation SMT sees. The columns' labels
 * and types are read from the metadata once per result set, not once per row.
 */
final class Rows {

    private final ResultSet rs;
    private final String[] labels;
    private final int[] types;
    private final String[] typeNames;

    Rows(ResultSet rs) throws SQLException {
        this.rs = rs;
        ResultSetMetaData meta = rs.getMetaData();
        int count = meta.getColumnCount();
        labels = new String[count];
        types = new int[count];
        typeNames = new String[count];
        for (int i = 0; i < count; i++) {
            labels[i] = meta.getColumnLabel(i + 1);
            types[i] = meta.getColumnType(i + 1);
            typeNames[i] = meta.getColumnTypeName(i + 1);
        }
    }

    /** The current row's columns, normalised, by label. */
    Map<String, Object> current() throws SQLException {
        Map<String, Object> values = new HashMap<>(labels.length * 2);
        for (int i = 0; i < labels.length; i++) {
            values.put(labels[i], ValueNormalizer.column(rs, i + 1, types[i], typeNames[i]));
        }
        return values;
    }

    /** A timestamp column's value as an instant (a zone-less one read as UTC), or {@code null} if it is none. */
    static Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof LocalDateTime local) {
            return local.toInstant(ZoneOffset.UTC);
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        return null;
    }
}
