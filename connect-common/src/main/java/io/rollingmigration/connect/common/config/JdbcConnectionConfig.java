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

    private final String url;
    private final String user;
    private final Password password;
    private final SqlDialect dialect;

    private JdbcConnectionConfig(String url, String user, Password password, SqlDialect dialect) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.dialect = dialect;
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
        int order = 0;
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
        return new JdbcConnectionConfig(
                url, config.getString(prefix + USER), config.getPassword(prefix + PASSWORD), dialect);
    }

    public SqlDialect dialect() {
        return dialect;
    }

    public String url() {
        return url;
    }

    /** Opens a connection through the dialect's driver. */
    public Connection open() throws SQLException {
        Properties properties = dialect.connectionProperties();
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
