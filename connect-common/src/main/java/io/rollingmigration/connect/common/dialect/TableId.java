package io.rollingmigration.connect.common.dialect;

import java.util.Objects;

/** A table name with its optional schema (PostgreSQL) or database (MariaDB/MySQL) qualifier. */
public final class TableId {

    private final String schema;
    private final String table;

    public TableId(String schema, String table) {
        if (table == null || table.isBlank()) {
            throw new IllegalArgumentException("A table name is required");
        }
        this.schema = schema == null || schema.isBlank() ? null : schema;
        this.table = table;
    }

    /** Parses {@code table} or {@code schema.table}. Names are taken as written; the dialect quotes them. */
    public static TableId parse(String qualifiedName) {
        if (qualifiedName == null || qualifiedName.isBlank()) {
            throw new IllegalArgumentException("A table name is required");
        }
        String name = qualifiedName.trim();
        int dot = name.indexOf('.');
        if (dot < 0) {
            return new TableId(null, name);
        }
        if (name.indexOf('.', dot + 1) >= 0 || dot == 0 || dot == name.length() - 1) {
            throw new IllegalArgumentException("'" + qualifiedName + "' is not of the form table or schema.table");
        }
        return new TableId(name.substring(0, dot), name.substring(dot + 1));
    }

    /** The schema, or {@code null} for the connection's default. */
    public String schema() {
        return schema;
    }

    public String table() {
        return table;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TableId)) {
            return false;
        }
        TableId other = (TableId) o;
        return Objects.equals(schema, other.schema) && table.equals(other.table);
    }

    @Override
    public int hashCode() {
        return Objects.hash(schema, table);
    }

    @Override
    public String toString() {
        return schema == null ? table : schema + "." + table;
    }
}
