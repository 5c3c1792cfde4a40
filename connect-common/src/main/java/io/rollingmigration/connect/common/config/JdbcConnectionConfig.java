package io.rollingmigration.connect.common.config;

import io.rollingmigration.connect.common.dialect.Dialects;
import io.rollingmigration.connect.common.dialect.SqlDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The three settings that reach a database ({@code <prefix>connection.url}, {@code .user}, {@code .password}), with
 * the dialect chosen from the URL. The password is a {@code PASSWORD} config: Connect masks it in the REST API and
 * logs, and this class never prints it.
 */
public final class JdbcConnectionConfig {

    public static final String URL = "connection.url";
    public static final String USER = "connection.user";
    public static final String PASSWORD = "connection.password";
    public static final String CONNECT_TIMEOUT_MS = "connection.connect.timeout.ms";
    public static final String SOCKET_TIMEOUT_MS = "connection.socket.timeout.ms";
    public static final String STATEMENT_TIMEOUT_MS = "connection.statement.timeout.ms";

    /**
     * The bounds on waiting a connection gets unless configured: a connection is made within seconds or not at all;
     * a statement of the plugins' own (a batch, a lookup) takes well under a second, so 30 s is two orders of
     * magnitude of headroom; the socket bound, which also catches a server that hangs without answering, is twice
     * that, so that the server cancels a slow statement before the client gives up on the socket.
     *
     * @param statementMillis -1 for a plugin that bounds its statements itself (no statement key)
     */
    public record Timeouts(long connectMillis, long socketMillis, long statementMillis) {
        public static final Timeouts DEFAULT = new Timeouts(10_000, 60_000, 30_000);
    }

    private final String url;
    private final String user;
    private final Password password;
    private final SqlDialect dialect;
    private final Timeouts timeouts;

    private JdbcConnectionConfig(String url, String user, Password password, SqlDialect dialect, Timeouts timeouts) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.dialect = dialect;
        this.timeouts = timeouts;
    }

    /**
     * Adds the connection settings under {@code prefix} (e.g. {@code ""}, {@code "legacy."}).
     *
     * @param database words for the docs, e.g. "the target database"
     */
    public static ConfigDef define(ConfigDef def, String prefix, String group, String database) {
        return define(def, prefix, group, database, true);
    }

    /** As {@link #define(ConfigDef, String, String, String)}; an optional URL defaults to null (no database). */
    public static ConfigDef define(ConfigDef def, String prefix, String group, String database, boolean required) {
        return define(def, prefix, group, database, required, Timeouts.DEFAULT);
    }

    /** As {@link #define(ConfigDef, String, String, String, boolean)}, with the plugin's own bounds on waiting. */
    public static ConfigDef define(
            ConfigDef def, String prefix, String group, String database, boolean required, Timeouts timeouts) {
        int order = 0;
        def.define(
                        prefix + CONNECT_TIMEOUT_MS,
                        ConfigDef.Type.LONG,
                        timeouts.connectMillis(),
                        ConfigDef.Range.atLeast(0),
                        ConfigDef.Importance.LOW,
                        "How long opening a connection to " + database + " may take, in milliseconds, before it "
                                + "counts as a failure the retry policy handles; 0: the driver's own (none).",
                        group,
                        10,
                        ConfigDef.Width.SHORT,
                        "Connect timeout (ms)")
                .define(
                        prefix + SOCKET_TIMEOUT_MS,
                        ConfigDef.Type.LONG,
                        timeouts.socketMillis(),
                        ConfigDef.Range.atLeast(0),
                        ConfigDef.Importance.LOW,
                        "How long the connection to " + database + " may wait for any reply, in milliseconds: a "
                                + "server that hangs becomes an error the retry policy handles after this. Keep it "
                                + "above the statement timeout; 0: wait forever.",
                        group,
                        11,
                        ConfigDef.Width.SHORT,
                        "Socket timeout (ms)");
        if (timeouts.statementMillis() >= 0) {
            def.define(
                    prefix + STATEMENT_TIMEOUT_MS,
                    ConfigDef.Type.LONG,
                    timeouts.statementMillis(),
                    ConfigDef.Range.atLeast(0),
                    ConfigDef.Importance.LOW,
                    "How long one statement on " + database + " may run, in milliseconds, before the server "
                            + "cancels it (PostgreSQL's statement_timeout for the session; MariaDB and MySQL: the "
                            + "socket timeout bounds it); 0: no bound.",
                    group,
                    12,
                    ConfigDef.Width.SHORT,
                    "Statement timeout (ms)");
        }
        return def.define(
                        prefix + URL,
                        ConfigDef.Type.STRING,
                        required ? ConfigDef.NO_DEFAULT_VALUE : null,
                        new JdbcUrlValidator(),
                        ConfigDef.Importance.HIGH,
                        "JDBC URL of " + database + ". Supported: " + Dialects.supportedPrefixes()
                                + " The dialect (SQL syntax, identifier quoting) follows from the URL.",
                        group,
                        ++order,
                        ConfigDef.Width.LONG,
                        "JDBC URL")
                .define(
                        prefix + USER,
                        ConfigDef.Type.STRING,
                        null,
                        ConfigDef.Importance.HIGH,
                        "User name for " + database + ".",
                        group,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "User")
                .define(
                        prefix + PASSWORD,
                        ConfigDef.Type.PASSWORD,
                        null,
                        ConfigDef.Importance.HIGH,
                        "Password for " + database + ". Use a ConfigProvider such as ${file:...} to keep it out of "
                                + "the connector config.",
                        group,
                        ++order,
                        ConfigDef.Width.MEDIUM,
                        "Password");
    }

    public static JdbcConnectionConfig from(AbstractConfig config, String prefix) {
        String url = config.getString(prefix + URL);
        SqlDialect dialect = Dialects.forUrl(url)
                .orElseThrow(() -> new ConfigException(
                        prefix + URL, url, "No dialect for this URL; supported: " + Dialects.supportedPrefixes()));
        boolean statements = config.values().containsKey(prefix + STATEMENT_TIMEOUT_MS);
        Timeouts timeouts = new Timeouts(
                config.getLong(prefix + CONNECT_TIMEOUT_MS),
                config.getLong(prefix + SOCKET_TIMEOUT_MS),
                statements ? config.getLong(prefix + STATEMENT_TIMEOUT_MS) : 0);
        return new JdbcConnectionConfig(
                url, config.getString(prefix + USER), config.getPassword(prefix + PASSWORD), dialect, timeouts);
    }

    public SqlDialect dialect() {
        return dialect;
    }

    public String url() {
        return url;
    }

    /** The bounds on waiting this connection gets. */
    public Timeouts timeouts() {
        return timeouts;
    }

    /** Opens a connection through the dialect's driver. */
    public Connection open() throws SQLException {
        Properties properties = dialect.connectionProperties();
        dialect.applyTimeouts(
                properties, timeouts.connectMillis(), timeouts.socketMillis(), timeouts.statementMillis());
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null && password.value() != null) {
            properties.setProperty("password", password.value());
        }
        Connection connection = dialect.driver().connect(url, properties);
        if (connection == null) {
            throw new SQLException("The " + dialect.name() + " driver does not accept the URL " + url);
        }
        return connection;
    }

    @Override
    public String toString() {
        return dialect.name() + " " + url + (user == null ? "" : " as " + user);
    }

    /** Accepts only URLs that some dialect serves, so validation names the field and the supported prefixes. */
    static final class JdbcUrlValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return; // ConfigDef itself reports a missing required key
            }
            if (value.toString().isBlank()) {
                throw new ConfigException(name, value, "A JDBC URL is required");
            }
            if (Dialects.forUrl(value.toString()).isEmpty()) {
                throw new ConfigException(
                        name, value, "Unsupported JDBC URL; supported: " + Dialects.supportedPrefixes());
            }
        }

        @Override
        public String toString() {
            return "a JDBC URL starting with one of " + Dialects.supportedPrefixes();
        }
    }
}
