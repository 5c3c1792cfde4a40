package io.rollingmigration.sandbox;

import io.rollingmigration.testsupport.ConfigExample;
import io.rollingmigration.testsupport.CustomerScenario;
import io.rollingmigration.testsupport.MariaDbFixture;
import io.rollingmigration.testsupport.SkeletonPipeline;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A MariaDB legacy database: a private MariaDB server with its binary log in ROW format, streamed by Debezium's
 * MariaDB connector ({@code config-examples/debezium/legacy-customer-mariadb-source.json}).
 */
final class MariaDbLegacy implements LegacyDatabase {

    static final String DATABASE = "legacy";
    static final String SOURCE_EXAMPLE = "debezium/legacy-customer-mariadb-source.json";

    private final MariaDbFixture mariadb;

    private MariaDbLegacy(MariaDbFixture mariadb) {
        this.mariadb = mariadb;
    }

    static MariaDbLegacy start() {
        MariaDbFixture mariadb = MariaDbFixture.startOwned();
        mariadb.createDatabase(DATABASE);
        return new MariaDbLegacy(mariadb);
    }

    @Override
    public String describe() {
        return "MariaDB " + mariadb.jdbcUrl(DATABASE) + " (binlog in ROW format)";
    }

    @Override
    public void createCustomers(int count) {
        mariadb.execute(
                DATABASE,
                "DROP TABLE IF EXISTS customer",
                "CREATE TABLE customer (id BIGINT PRIMARY KEY, name VARCHAR(200) NOT NULL, email VARCHAR(200), "
                        + "status CHAR(1) NOT NULL, balance DECIMAL(12,2) NOT NULL, "
                        + "region VARCHAR(10) NOT NULL DEFAULT 'EU', updated_at DATETIME(3) NOT NULL) "
                        + "CHARACTER SET utf8mb4");
        try (Connection connection = connect()) {
            CustomerScenario.insertCustomers(connection, table(), now(), 1, count);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot insert legacy customers: " + e.getMessage(), e);
        }
    }

    @Override
    public long customers() {
        return ((Number) query("SELECT count(*) FROM customer").get(0).get(0)).longValue();
    }

    @Override
    public Connection connect() throws SQLException {
        return mariadb.connect(DATABASE);
    }

    @Override
    public String table() {
        return "customer";
    }

    @Override
    public String random() {
        return "RAND()";
    }

    @Override
    public String now() {
        return "NOW(3)";
    }

    @Override
    public String textParameter() {
        return "?";
    }

    @Override
    public List<List<Object>> query(String sql) {
        return mariadb.query(DATABASE, sql);
    }

    @Override
    public void execute(String sql) {
        mariadb.execute(DATABASE, sql);
    }

    @Override
    public ConfigExample debeziumSource(SkeletonPipeline pipeline, String kafkaBootstrap) {
        return ConfigExample.load(SOURCE_EXAMPLE)
                .with(Map.of(
                        "database.hostname", mariadb.host(),
                        "database.port", Integer.toString(mariadb.port()),
                        "database.user", mariadb.user(),
                        "database.password", mariadb.password(),
                        "schema.history.internal.kafka.bootstrap.servers", kafkaBootstrap));
    }

    @Override
    public String changeTopic() {
        return "legacy.legacy.customer";
    }

    @Override
    public Map<String, String> reconcilerSettings() {
        Map<String, String> settings = new HashMap<>(mariadb.connectionSettings("legacy.", DATABASE));
        settings.put("legacy.table", "customer");
        return settings;
    }

    @Override
    public void close() {
        mariadb.close();
    }

    @Override
    public Optional<Map<String, String>> writebackSettings(SkeletonPipeline pipeline) {
        // The write-back refuses a MariaDB legacy for now (decision 0023): the story ends at the stray write.
        return Optional.empty();
    }
}
