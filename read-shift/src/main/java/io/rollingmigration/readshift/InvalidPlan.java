package io.rollingmigration.readshift;

/** A routing plan row that makes no sense: the column at fault and why. */
public final class InvalidPlan extends IllegalArgumentException {

    private final String column;

    public InvalidPlan(String column, String reason) {
        super(column + ": " + reason);
        this.column = column;
    }

    public String column() {
        return column;
    }
}
