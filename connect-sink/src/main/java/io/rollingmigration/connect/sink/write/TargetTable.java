package io.rollingmigration.connect.sink.write;

import io.rollingmigration.connect.common.dialect.ColumnDescription;
import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.TableDescription;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.lineage.Lineage;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * The target table as the target service made it. The sink checks it once at start: it must exist and carry every
 * lineage column, because the sink writes lineage with every row and guards versions on one of those columns.
 */
public final class TargetTable {

    private final TableDescription description;

    private TargetTable(TableDescription description) {
        this.description = description;
    }

    /** Reads and checks the table; fails with a message that names what is missing. */
    public static TargetTable inspect(Connection connection, SqlDialect dialect, TableId table, DeleteMode deleteMode)
            throws SQLException {
        return inspect(connection, dialect, table, deleteMode, null);
    }

    /** As {@link #inspect(Connection, SqlDialect, TableId, DeleteMode)}, for a writer of one fragment (or null). */
    public static TargetTable inspect(
            Connection connection, SqlDialect dialect, TableId table, DeleteMode deleteMode, Fragment fragment)
            throws SQLException {
        List<String> required = requiredLineageColumns(deleteMode);
        TableDescription description = TableDescription.read(connection, dialect, table)
                .orElseThrow(() -> new ConnectException("Target table " + table + " does not exist in " + dialect.name()
                        + ". The sink does not create tables: the target service owns its schema. Create it with "
                        + "its business columns and the lineage columns " + required + "."));
        List<String> missing = required.stream()
                .filter(column -> description.column(column).isEmpty())
                .collect(Collectors.toList());
        if (!missing.isEmpty()) {
            throw new ConnectException("Target table " + table + " lacks the lineage columns " + missing
                    + "; every target row keeps the lineage of its last change (see docs/lineage.md)");
        }
        if (description.primaryKey().isEmpty()) {
            throw new ConnectException("Target table " + table + " has no primary key; the sink upserts by it");
        }
        if (fragment != null) {
            List<String> fragmentProblems = new ArrayList<>();
            if (description.column(fragment.versionColumn()).isEmpty()) {
                fragmentProblems.add("no version column '" + fragment.versionColumn() + "'");
            }
            for (String column : fragment.columns()) {
                Optional<ColumnDescription> found = description.column(column);
                if (found.isEmpty()) {
                    fragmentProblems.add("no column '" + column + "'");
                } else if (!found.get().canBeOmitted()) {
                    fragmentProblems.add("column '" + column + "' is NOT NULL without default, so the row cannot "
                            + "exist before this fragment arrives");
                }
            }
            if (!fragmentProblems.isEmpty()) {
                throw new ConnectException("Target table " + table + " cannot hold fragment " + fragment.columns()
                        + ": " + String.join("; ", fragmentProblems));
            }
        }
        if (deleteMode == DeleteMode.SOFT) {
            List<String> mandatory = description.columns().values().stream()
                    .filter(c -> !description.primaryKey().contains(c.name()) && !c.canBeOmitted())
                    .map(ColumnDescription::name)
                    .collect(Collectors.toList());
            if (!mandatory.isEmpty()) {
                throw new ConnectException("Target table " + table + " has NOT NULL columns without default "
                        + mandatory + ": a delete of a row the target never held could not leave its marker. "
                        + "Make them nullable or give them defaults, or set delete.mode=hard.");
            }
        }
        if (dialect.upsertMatchesAnyUniqueIndex()) {
            List<String> unique = dialect.otherUniqueIndexes(connection, table);
            if (!unique.isEmpty()) {
                throw new ConnectException("Target table " + table + " has unique indexes besides its primary key "
                        + unique + ". " + dialect.name() + "'s ON DUPLICATE KEY UPDATE resolves a conflict on any "
                        + "of them, so a change could overwrite a different row than its key names. Drop them or "
                        + "make them non-unique in the target.");
            }
        }
        return new TargetTable(description);
    }

    /** Lineage columns a table must have: all of them, but the delete marker only when deletes are soft. */
    static List<String> requiredLineageColumns(DeleteMode deleteMode) {
        return Lineage.columns().stream()
                .filter(c -> deleteMode == DeleteMode.SOFT || !c.equals(Lineage.Field.DELETED_AT.column()))
                .collect(Collectors.toList());
    }

    public TableId id() {
        return description.table();
    }

    public Optional<ColumnDescription> column(String name) {
        return description.column(name);
    }

    public boolean hasColumn(String name) {
        return description.column(name).isPresent();
    }

    public List<String> primaryKey() {
        return description.primaryKey();
    }

    /** The JDBC type to bind a null in this column with. */
    public int sqlType(String column) {
        return description.column(column).map(ColumnDescription::jdbcType).orElse(Types.NULL);
    }

    /** The declared maximum length of a character column, or -1 when it has none worth checking. */
    public int maxTextLength(String column) {
        return description
                .column(column)
                .filter(c -> c.jdbcType() == Types.VARCHAR
                        || c.jdbcType() == Types.CHAR
                        || c.jdbcType() == Types.NVARCHAR
                        || c.jdbcType() == Types.NCHAR)
                .map(ColumnDescription::size)
                .filter(size -> size > 0 && size < Integer.MAX_VALUE)
                .orElse(-1);
    }
}
