package io.rollingmigration.connect.reconcile.store;

import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.TableId;
import java.lang.reflect.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The SELECT of the rows whose key is one of a slice of keys, bound: one array parameter where the dialect binds
 * arrays of a single key column's type (PostgreSQL {@code = ANY(?)}), else one placeholder per key column and key.
 * The caller binds any parameters of {@code condition} from {@link Prepared#nextParameter()} on.
 */
final class KeyLookup {

    record Prepared(PreparedStatement statement, int nextParameter) {}

    private KeyLookup() {}

    /**
     * @param keys      key tuples in the order of {@code keyColumns}
     * @param arrayType the SQL type of an array of the single key column's values, if the dialect binds one
     * @param rewrite   applied to the query before it is prepared (to add a computed column, say)
     */
    static Prepared prepare(
            Session session,
            TableId table,
            List<String> keyColumns,
            List<String> selected,
            List<List<Object>> keys,
            Optional<String> arrayType,
            String condition,
            UnaryOperator<String> rewrite)
            throws SQLException {
        SqlDialect dialect = session.dialect();
        if (arrayType.isPresent()) {
            PreparedStatement statement = session.prepare(
                    rewrite.apply(dialect.selectByKeyArray(table, keyColumns.get(0), selected, condition)));
            // An array of the values' own class (String[], Long[]): the driver encodes those without a generic
            // per-element conversion.
            Class<?> type = keys.get(0).get(0).getClass();
            for (List<Object> key : keys) {
                if (key.get(0).getClass() != type) {
                    type = Object.class;
                    break;
                }
            }
            Object[] values = (Object[]) Array.newInstance(type, keys.size());
            for (int i = 0; i < values.length; i++) {
                values[i] = keys.get(i).get(0);
            }
            statement.setArray(1, session.connection().createArrayOf(arrayType.get(), values));
            return new Prepared(statement, 2);
        }
        PreparedStatement statement = session.prepare(
                rewrite.apply(dialect.selectByKeys(table, keyColumns, selected, keys.size(), condition)));
        int index = 1;
        for (List<Object> tuple : keys) {
            index = KeyCodec.bind(statement, index, tuple);
        }
        return new Prepared(statement, index);
    }
}
