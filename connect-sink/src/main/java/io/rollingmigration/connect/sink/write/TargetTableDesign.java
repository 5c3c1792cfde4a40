package io.rollingmigration.connect.sink.write;

import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.TableDescription;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.lineage.Lineage;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;

/**
 * The table the sink creates when asked to ({@code table.auto.create}, for sandboxes and tests): the record's key
 * as primary key, its value fields as nullable columns, and every lineage column, with an index on the legacy
 * source key, which the reconciler orders target rows by.
 */
final class TargetTableDesign {

    private TargetTableDesign() {}

    /** Creates the table unless it exists; true if it was created. */
    static boolean createIfMissing(
            Connection connection,
            SqlDialect dialect,
            TableId table,
            Schema keySchema,
            Schema valueSchema,
            Fragment fragment)
            throws SQLException {
        if (TableDescription.read(connection, dialect, table).isPresent()) {
            return false;
        }
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements(dialect, table, keySchema, valueSchema, fragment)) {
                statement.execute(sql);
            }
        }
        return true;
    }

    static List<String> statements(
            SqlDialect dialect, TableId table, Schema keySchema, Schema valueSchema, Fragment fragment) {
        if (keySchema == null || keySchema.type() != Schema.Type.STRUCT) {
            throw new DataException("Cannot create " + table + ": the first record's key is not a Struct");
        }
        LinkedHashMap<String, String> columns = new LinkedHashMap<>();
        List<String> key = new ArrayList<>();
        for (Field field : keySchema.fields()) {
            columns.put(field.name(), dialect.columnType(field.schema(), true) + " NOT NULL");
            key.add(field.name());
        }
        if (valueSchema != null && valueSchema.type() == Schema.Type.STRUCT) {
            for (Field field : valueSchema.fields()) {
                columns.putIfAbsent(field.name(), dialect.columnType(field.schema(), false) + " NULL");
            }
        }
        if (fragment != null) {
            fragment.columns().forEach(c -> columns.putIfAbsent(c, "TEXT NULL"));
            columns.put(fragment.versionColumn(), dialect.lineageColumnType(Lineage.Kind.INT64, false) + " NULL");
        }
        for (Lineage.Field field : Lineage.Field.values()) {
            boolean indexed = field == Lineage.Field.SOURCE_KEY;
            columns.put(field.column(), dialect.lineageColumnType(field.kind(), indexed) + " NULL");
        }
        String sourceKey = Lineage.Field.SOURCE_KEY.column();
        return List.of(
                dialect.createTableIfMissing(table, columns, key),
                dialect.createIndex(table, table.table() + "_" + sourceKey, List.of(sourceKey)));
    }
}
