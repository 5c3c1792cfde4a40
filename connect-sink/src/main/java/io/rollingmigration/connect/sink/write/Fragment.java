package io.rollingmigration.connect.sink.write;

import java.util.List;

/**
 * A column group of the target row that one source owns, with its own version column. Several legacy tables can
 * feed one target row (a policy and its premium): each writes only its fragment and guards on its own version, so
 * fragments from different sources never overwrite each other and may arrive in any order. A delete from the
 * fragment's source empties the fragment and leaves the rest of the row alone.
 */
public final class Fragment {

    private final List<String> columns;
    private final String versionColumn;

    public Fragment(List<String> columns, String versionColumn) {
        this.columns = List.copyOf(columns);
        this.versionColumn = versionColumn;
    }

    public List<String> columns() {
        return columns;
    }

    public String versionColumn() {
        return versionColumn;
    }

    boolean owns(String column) {
        return columns.contains(column);
    }
}
