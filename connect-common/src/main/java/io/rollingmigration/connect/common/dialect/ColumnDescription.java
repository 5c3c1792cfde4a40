package io.rollingmigration.connect.common.dialect;

import java.sql.Types;

/** One column of a table as the database reports it. */
public final class ColumnDescription {

    private final String name;
    private final int jdbcType;
    private final String typeName;
    private final int size;
    private final boolean nullable;
    private final boolean hasDefault;

    public ColumnDescription(String name, int jdbcType, String typeName, int size, boolean nullable,
                             boolean hasDefault) {
        this.name = name;
        this.jdbcType = jdbcType;
        this.typeName = typeName;
        this.size = size;
        this.nullable = nullable;
        this.hasDefault = hasDefault;
    }

    public String name() {
        return name;
    }

    /** A {@link Types} constant. */
    public int jdbcType() {
        return jdbcType;
    }

    /** The database's own type name, e.g. {@code int8}, {@code numeric}, {@code varchar}. */
    public String typeName() {
        return typeName;
    }

    public int size() {
        return size;
    }

    public boolean nullable() {
        return nullable;
    }

    /** True if an insert that omits the column still succeeds: it is nullable or has a default. */
    public boolean canBeOmitted() {
        return nullable || hasDefault;
    }

    /** True for character types, whose ordering depends on collation. */
    public boolean isText() {
        switch (jdbcType) {
            case Types.CHAR:
            case Types.VARCHAR:
            case Types.LONGVARCHAR:
            case Types.NCHAR:
            case Types.NVARCHAR:
            case Types.LONGNVARCHAR:
            case Types.CLOB:
            case Types.NCLOB:
                return true;
            default:
                return false;
        }
    }

    @Override
    public String toString() {
        return name + " " + typeName;
    }
}
