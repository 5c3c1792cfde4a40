package io.rollingmigration.connect.common.lineage;

/** The kinds of change a Debezium event describes, named for operators rather than by Debezium's one-letter codes. */
public enum Operation {
    READ("r"),
    CREATE("c"),
    UPDATE("u"),
    DELETE("d"),
    TRUNCATE("t"),
    MESSAGE("m");

    /** values() copies its array on every call; the codes are looked up for every record. */
    private static final Operation[] ALL = values();

    private final String code;

    Operation(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** The operation for a Debezium {@code op} code. */
    public static Operation fromCode(String code) {
        for (Operation op : ALL) {
            if (op.code.equals(code)) {
                return op;
            }
        }
        throw new IllegalArgumentException("Unknown Debezium operation code '" + code + "'");
    }

    /** True for operations that leave the row existing with the state in {@code after}. */
    public boolean carriesRowState() {
        return this == READ || this == CREATE || this == UPDATE;
    }
}
