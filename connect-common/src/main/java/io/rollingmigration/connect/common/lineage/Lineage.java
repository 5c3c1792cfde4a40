package io.rollingmigration.connect.common.lineage;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The lineage contract: the header names the transforms stamp on every translated record and the column names
 * the sink persists them under. This is the only place these names are written down, so the SMT, the sink and the
 * reconciler can never disagree about them.
 *
 * <p>"Which legacy row, under which rule version, produced this target row, when?" is one query over these columns.
 */
public final class Lineage {

    /**
     * The id of the legacy transaction that made the change (PostgreSQL's {@code txId}), as an int64 header. It is
     * no column: it travels so that the forward sink can tell the write-back lane's own transactions coming back
     * (echoes) from genuine legacy writes.
     */
    public static final String SOURCE_TRANSACTION_HEADER = "lineage.source.transaction";

    private Lineage() {}

    /** One piece of lineage: its Kafka header name (if it travels as a header) and its target column name. */
    public enum Field {
        /** Logical name of the capturing connector ({@code source.name} in a Debezium event). String. */
        SOURCE_SYSTEM("lineage.source.system", "lineage_source_system", Kind.STRING),
        /** {@code schema.table} of the legacy row. String. */
        SOURCE_TABLE("lineage.source.table", "lineage_source_table", Kind.STRING),
        /** Canonical JSON of the legacy key (fields sorted by name). String. */
        SOURCE_KEY("lineage.source.key", "lineage_source_key", Kind.STRING),
        /** Position of the change in the legacy log (PostgreSQL LSN, encoded binlog position). Int64. */
        SOURCE_POSITION("lineage.source.position", "lineage_source_position", Kind.INT64),
        /** Commit time of the change in the legacy database, epoch milliseconds. Int64. */
        SOURCE_COMMIT_TIME("lineage.source.committed.at", "lineage_source_committed_at", Kind.TIMESTAMP),
        /** The change operation, one of {@link Operation}'s names. String. */
        OPERATION("lineage.operation", "lineage_operation", Kind.STRING),
        /** Debezium's snapshot marker ({@code false} for streamed changes). String. */
        SNAPSHOT("lineage.snapshot", "lineage_snapshot", Kind.STRING),
        /** The mapping rule that produced the record: {@code spec-name@version}. String. */
        RULE("lineage.rule", "lineage_rule", Kind.STRING),
        /** When the translation ran, epoch milliseconds. Int64. */
        TRANSLATED_AT("lineage.translated.at", "lineage_translated_at", Kind.TIMESTAMP),
        /** When the sink applied the change to the target row. Column only, written by the sink. */
        APPLIED_AT(null, "lineage_applied_at", Kind.TIMESTAMP),
        /**
         * When the legacy row was deleted: set by the sink's soft delete, which keeps the row as a versioned marker
         * so that a late, older change cannot bring it back; {@code null} while the row lives. Column only.
         */
        DELETED_AT(null, "lineage_deleted_at", Kind.TIMESTAMP);

        private final String header;
        private final String column;
        private final Kind kind;

        Field(String header, String column, Kind kind) {
            this.header = header;
            this.column = column;
            this.kind = kind;
        }

        /** The Kafka header name, or {@code null} for columns that only the sink writes. */
        public String header() {
            return header;
        }

        public String column() {
            return column;
        }

        public Kind kind() {
            return kind;
        }
    }

    /** How a lineage value is represented: in headers as string or int64, in columns as text, bigint or timestamp. */
    public enum Kind {
        STRING,
        INT64,
        TIMESTAMP
    }

    /** The fields that travel as record headers, in contract order. */
    public static List<Field> headerFields() {
        return Arrays.stream(Field.values()).filter(f -> f.header() != null).collect(Collectors.toUnmodifiableList());
    }

    /** Every lineage column a target table carries, in contract order. */
    public static List<String> columns() {
        return Arrays.stream(Field.values()).map(Field::column).collect(Collectors.toUnmodifiableList());
    }

    /** True if the column name belongs to the lineage contract (so comparisons and mappings can skip it). */
    public static boolean isLineageColumn(String column) {
        return Arrays.stream(Field.values()).anyMatch(f -> f.column().equalsIgnoreCase(column));
    }
}
