package io.rollingmigration.connect.sink.write;

import io.rollingmigration.connect.common.dialect.ColumnDescription;
import io.rollingmigration.connect.common.dialect.SqlDialect;
import io.rollingmigration.connect.common.dialect.TableDescription;
import io.rollingmigration.connect.common.dialect.TableId;
import io.rollingmigration.connect.common.lineage.Lineage;
import org.apache.kafka.connect.errors.ConnectException;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.stream.Collectors;

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
    public static TargetTable inspect(Connection connection, SqlDialect dialect, TableId table) throws SQLException {
        TableDescription description = TableDescription.read(connection, dialect, table).orElseThrow(() ->
                new ConnectException("Target table " + table + " does not exist in " + dialect.name()
                        + ". The sink does not create tables: the target service owns its schema. Create it with "
                        + "its business columns and the lineage columns " + Lineage.columns() + "."));
        List<String> missing = Lineage.columns().stream()
                .filter(column -> description.column(column).isEmpty())
                .collect(Collectors.toList());
        if (!missing.isEmpty()) {
            throw new ConnectException("Target table " + table + " lacks the lineage columns " + missing
                    + "; every target row keeps the lineage of its last change (see docs/lineage.md)");
        }
        return new TargetTable(description);
    }

    public TableId id() {
        return description.table();
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
        return description.column(column)
                .filter(c -> c.jdbcType() == Types.VARCHAR || c.jdbcType() == Types.CHAR
                        || c.jdbcType() == Types.NVARCHAR || c.jdbcType() == Types.NCHAR)
                .map(ColumnDescription::size)
                .filter(size -> size > 0 && size < Integer.MAX_VALUE)
                .orElse(-1);
    }
}
