package io.rollingmigration.connect.common.dialect;

import java.util.List;
import java.util.Optional;

/** Picks the dialect for a JDBC URL. */
public final class Dialects {

    private static final List<SqlDialect> KNOWN = List.of(new PostgresDialect(), new MariaDbDialect());

    private Dialects() {}

    public static Optional<SqlDialect> forUrl(String jdbcUrl) {
        return KNOWN.stream().filter(d -> d.accepts(jdbcUrl)).findFirst();
    }

    /** The URL prefixes that some dialect accepts, for error messages. */
    public static String supportedPrefixes() {
        return "jdbc:postgresql:, jdbc:mariadb:, jdbc:mysql:";
    }
}
