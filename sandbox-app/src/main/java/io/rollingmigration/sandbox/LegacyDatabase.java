package io.rollingmigration.sandbox;

import io.rollingmigration.testsupport.ConfigExample;
import io.rollingmigration.testsupport.SkeletonPipeline;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The legacy database the sandbox migrates from: its customer table, the SQL its application writes with, and how
 * Debezium and the reconciler reach it. The target is always the sandbox's PostgreSQL.
 */
interface LegacyDatabase extends AutoCloseable {

    /** What the sandbox says it started, with its address. */
    String describe();

    /** Creates the customer table and its first {@code count} customers. */
    void createCustomers(int count);

    long customers();

    Connection connect() throws SQLException;

    /** The customer table as this database's SQL names it. */
    String table();

    /** The SQL function for a random number per row, for the application's random picks. */
    String random();

    /** The SQL function for the current time to the millisecond. */
    String now();

    /** A text parameter that may be null, typed where the database cannot infer it. */
    String textParameter();

    List<List<Object>> query(String sql);

    void execute(String sql);

    /** The stock Debezium connector streaming the customer table. */
    ConfigExample debeziumSource(SkeletonPipeline pipeline, String kafkaBootstrap);

    /** The topic Debezium writes the customer table's changes to. */
    String changeTopic();

    /** The reconciler's settings for reading this database (the legacy.* keys). */
    Map<String, String> reconcilerSettings();

    /**
     * The write-back lane's settings for writing this database (the legacy.* keys), or empty where the lane cannot
     * write it back yet (it tells its own changes by the transaction ids of PostgreSQL's change events).
     */
    Optional<Map<String, String>> writebackSettings(SkeletonPipeline pipeline);

    @Override
    void close();
}
