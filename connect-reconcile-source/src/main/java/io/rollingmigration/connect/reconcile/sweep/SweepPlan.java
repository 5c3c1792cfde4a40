package io.rollingmigration.connect.reconcile.sweep;

import io.rollingmigration.connect.common.dialect.ColumnDescription;
import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.TableDescription;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.lineage.Lineage;
import org.apache.kafka.connect.errors.ConnectException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a sweep compares, resolved against both tables as they are now: the key columns that pair rows and the
 * columns compared value by value. Names that do not exist fail with a message naming them.
 */
final class SweepPlan {

    final List<ColumnDescription> legacyKey;
    final List<ColumnDescription> targetKey;
    final List<String> compared;
    /** The target's delete-marker column if it has one: marked rows are deleted rows, not target rows. */
    final String targetDeletedAt;

    private SweepPlan(List<ColumnDescription> legacyKey, List<ColumnDescription> targetKey, List<String> compared,
                      String targetDeletedAt) {
        this.legacyKey = legacyKey;
        this.targetKey = targetKey;
        this.compared = compared;
        this.targetDeletedAt = targetDeletedAt;
    }

    static SweepPlan resolve(Connection legacy, SqlDialect legacyDialect, TableId legacyTable,
                             Connection target, SqlDialect targetDialect, TableId targetTable,
                             List<String> keyColumns, List<String> compareColumns) throws SQLException {
        TableDescription legacyDescription = TableDescription.read(legacy, legacyDialect, legacyTable)
                .orElseThrow(() -> new ConnectException("Legacy table " + legacyTable + " does not exist"));
        TableDescription targetDescription = TableDescription.read(target, targetDialect, targetTable)
                .orElseThrow(() -> new ConnectException("Target table " + targetTable + " does not exist"));
        List<String> keys = keyColumns.isEmpty() ? legacyDescription.primaryKey() : keyColumns;
        if (keys.isEmpty()) {
            throw new ConnectException("Legacy table " + legacyTable + " has no primary key; set key.columns");
        }
        List<ColumnDescription> legacyKey = new ArrayList<>();
        List<ColumnDescription> targetKey = new ArrayList<>();
        for (String key : keys) {
            legacyKey.add(legacyDescription.column(key).orElseThrow(() -> new ConnectException(
                    "Key column '" + key + "' is not a column of legacy table " + legacyTable)));
            targetKey.add(targetDescription.column(key).orElseThrow(() -> new ConnectException(
                    "Key column '" + key + "' is not a column of target table " + targetTable)));
        }
        List<String> compared = new ArrayList<>();
        if (compareColumns.isEmpty()) {
            for (String column : legacyDescription.columns().keySet()) {
                if (!keys.contains(column) && !Lineage.isLineageColumn(column)
                        && targetDescription.column(column).isPresent()) {
                    compared.add(column);
                }
            }
        } else {
            for (String column : compareColumns) {
                if (legacyDescription.column(column).isEmpty()) {
                    throw new ConnectException("Compared column '" + column + "' is not a column of legacy table "
                            + legacyTable);
                }
                if (targetDescription.column(column).isEmpty()) {
                    throw new ConnectException("Compared column '" + column + "' is not a column of target table "
                            + targetTable);
                }
                compared.add(column);
            }
        }
        String deletedAt = Lineage.Field.DELETED_AT.column();
        return new SweepPlan(legacyKey, targetKey, compared,
                targetDescription.column(deletedAt).isPresent() ? deletedAt : null);
    }

    List<String> keyNames() {
        List<String> names = new ArrayList<>();
        legacyKey.forEach(c -> names.add(c.name()));
        return names;
    }
}
