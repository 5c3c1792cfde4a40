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
    private final boolean deletesRow;

    public Fragment(List<String> columns, String versionColumn) {
        this(columns, versionColumn, false);
    }

    /**
     * @param deletesRow true when a delete from this fragment's source deletes the whole row (the row's owner, a
     *                   policy header say), false when it only empties the fragment
     */
    public Fragment(List<String> columns, String versionColumn, boolean deletesRow) {
        this.columns = List.copyOf(columns);
        this.versionColumn = versionColumn;
        this.deletesRow = deletesRow;
    }

    /** True when a delete from this fragment's source deletes the row, not only the fragment. */
    public boolean deletesRow() {
        return deletesRow;
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
