package io.rollingmigration.readshift;

import io.rollingmigration.connect.common.normalize.ValueNormalizer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the legacy read gave: the caller's response, and the legacy rows it was made of, which the comparison
 * translates with the mapping spec.
 *
 * @param response what the facade answers its client with when legacy answers
 * @param rows     the legacy rows read, column to value, as the translation transform sees them
 */
public record LegacyAnswer<R>(R response, List<Map<String, Object>> rows) {

    public LegacyAnswer {
        rows = List.copyOf(rows);
    }

    public static <R> LegacyAnswer<R> of(R response, List<Map<String, Object>> rows) {
        return new LegacyAnswer<>(response, rows);
    }

    /** The rows of a JDBC result, normalised as the translation transform's Debezium values are. */
    public static List<Map<String, Object>> rows(ResultSet result) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        while (result.next()) {
            rows.add(ValueNormalizer.row(result));
        }
        return rows;
    }
}
