package io.rollingmigration.sandbox;

import io.rollingmigration.testsupport.ConfigExample;
import io.rollingmigration.testsupport.CustomerScenario;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.SkeletonPipeline;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A PostgreSQL legacy database: the {@code legacy} database of the sandbox's own PostgreSQL, as the examples name it. */
final class PostgresLegacy implements LegacyDatabase {

    private final PostgresFixture postgres;
    private final CustomerScenario scenario;

    PostgresLegacy(PostgresFixture postgres, CustomerScenario scenario) {
        this.postgres = postgres;
        this.scenario = scenario;
    }

    @Override
    public String describe() {
        return "PostgreSQL " + postgres.jdbcUrl(PostgresFixture.LEGACY);
    }

    @Override
    public void createCustomers(int count) {
        // The target's table too: both live in the same PostgreSQL.
        scenario.createSchemas();
        scenario.insertLegacyCustomers(1, count);
    }

    @Override
    public long customers() {
        return scenario.legacyCount();
    }

    @Override
    public Connection connect() throws SQLException {
        return postgres.connect(PostgresFixture.LEGACY);
    }

    @Override
    public String table() {
        return "public.customer";
    }

    @Override
    public String random() {
        return "random()";
    }

    @Override
    public String now() {
        return "now()";
    }

    @Override
    public String textParameter() {
        return "?::text";
    }

    @Override
    public List<List<Object>> query(String sql) {
        return postgres.query(PostgresFixture.LEGACY, sql);
    }

    @Override
    public void execute(String sql) {
        postgres.execute(PostgresFixture.LEGACY, sql);
    }

    @Override
    public ConfigExample debeziumSource(SkeletonPipeline pipeline, String kafkaBootstrap) {
        return pipeline.debeziumSource(postgres.port());
    }

    @Override
    public String changeTopic() {
        return CustomerScenario.TOPIC;
    }

    @Override
    public Map<String, String> reconcilerSettings() {
        // The example's own settings already point at it.
        return Map.of();
    }

    @Override
    public void close() {
        // The sandbox's PostgreSQL is the target's too; the sandbox stops it.
    }

    @Override
    public Optional<Map<String, String>> writebackSettings(SkeletonPipeline pipeline) {
        // The customer-writeback example names this database already.
        return Optional.of(Map.of());
    }
}
