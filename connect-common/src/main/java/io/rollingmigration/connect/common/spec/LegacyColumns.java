package io.rollingmigration.connect.common.spec;

import io.rollingmigration.connect.common.dialect.TableDescription;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The legacy table's columns as far as they are known: none (references are not checked and have no static type),
 * names only, or names with types, from the spec's {@code columns} or from the legacy table itself.
 */
public final class LegacyColumns {

    private static final LegacyColumns UNDECLARED = new LegacyColumns(Map.of());

    private final Map<String, ColumnType> columns;
    /** The same, for the look-up of a column's type on every value an expression reads. */
    private final Map<String, ColumnType> byName;

    private LegacyColumns(Map<String, ColumnType> columns) {
        this.columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        this.byName = new HashMap<>(columns);
    }

    /** Nothing declared: every column reference is accepted and is {@code dyn}. */
    public static LegacyColumns undeclared() {
        return UNDECLARED;
    }

    /** Names without types: references are checked, their type stays unknown. */
    public static LegacyColumns named(List<String> names) {
        Map<String, ColumnType> columns = new LinkedHashMap<>();
        names.forEach(name -> columns.put(name, ColumnType.UNKNOWN));
        return new LegacyColumns(columns);
    }

    /** Names with types ({@link ColumnType#UNKNOWN} where a type is not known). */
    public static LegacyColumns typed(Map<String, ColumnType> columns) {
        return new LegacyColumns(columns);
    }

    /** The columns of a table as the database describes it, each with its type. */
    public static LegacyColumns of(TableDescription table) {
        Map<String, ColumnType> columns = new LinkedHashMap<>();
        table.columns()
                .values()
                .forEach(column -> columns.put(column.name(), ColumnType.ofJdbc(column.jdbcType(), column.typeName())));
        return new LegacyColumns(columns);
    }

    public boolean declared() {
        return !columns.isEmpty();
    }

    public boolean contains(String column) {
        return columns.containsKey(column);
    }

    /** The column's type; {@link ColumnType#UNKNOWN} for one without a type or not declared. */
    public ColumnType type(String column) {
        ColumnType type = byName.get(column);
        return type == null ? ColumnType.UNKNOWN : type;
    }

    /** True if at least one column has a type, so that rows need coercing into it. */
    public boolean anyTyped() {
        return columns.values().stream().anyMatch(type -> type != ColumnType.UNKNOWN);
    }

    public Map<String, ColumnType> asMap() {
        return columns;
    }

    /**
     * These columns with the types of another description where this one has none: the spec's declarations refined
     * by what the legacy table reports. Where both give a type and they differ, the spec is wrong about the table.
     *
     * @throws SpecException at {@code columns.<name>} for a declared type the table contradicts, or a declared
     *                       column the table does not have
     */
    public LegacyColumns refinedBy(LegacyColumns actual, String table) {
        if (!declared()) {
            return actual;
        }
        Map<String, ColumnType> refined = new LinkedHashMap<>();
        for (Map.Entry<String, ColumnType> column : columns.entrySet()) {
            if (!actual.contains(column.getKey())) {
                throw new SpecException(
                        "columns." + column.getKey(),
                        "legacy table " + table + " has no column '" + column.getKey() + "'; it has "
                                + actual.asMap().keySet());
            }
            ColumnType real = actual.type(column.getKey());
            if (column.getValue() != ColumnType.UNKNOWN && real != ColumnType.UNKNOWN && column.getValue() != real) {
                throw new SpecException(
                        "columns." + column.getKey(),
                        "declared " + column.getValue().modelName() + ", but legacy table " + table + " holds a "
                                + real.modelName());
            }
            refined.put(column.getKey(), column.getValue() == ColumnType.UNKNOWN ? real : column.getValue());
        }
        return new LegacyColumns(refined);
    }
}
