package io.rollingmigration.benchmarks.scaleout;

import io.rollingmigration.testsupport.ConfigExample;
import io.rollingmigration.testsupport.ConnectClusterFixture;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.SkeletonPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The insurer example's connector configs (config-examples/insurer), unchanged but for addresses, names and the
 * settings a benchmark has to pin: the same JSON bodies an operator sends.
 */
final class InsurerConfigs {

    static final String LEGACY_DATABASE = "insurer";

    private final PostgresFixture postgres;
    private final ConnectClusterFixture connect;
    private final Path secrets;
    private final Path specs;

    InsurerConfigs(PostgresFixture postgres, ConnectClusterFixture connect, Path work) throws IOException {
        this.postgres = postgres;
        this.connect = connect;
        this.secrets = Files.createDirectories(work.resolve("secrets"));
        String password = "password=" + postgres.password() + "\n";
        Files.writeString(secrets.resolve("legacy.properties"), password);
        Files.writeString(secrets.resolve("policy-service.properties"), password);
        this.specs = Paths.get(System.getProperty(ConfigExample.DIRECTORY_PROPERTY), "insurer", "specs")
                .toAbsolutePath();
    }

    /** The policy service's schema, as the example ships it. */
    String policyServiceDdl() throws IOException {
        return Files.readString(specs.getParent().resolve("sql").resolve("policy-service.sql"));
    }

    /** The example's Debezium source, capturing only the policy table into {@code topicPrefix}.public.policy. */
    Map<String, String> source(String topicPrefix) {
        return load("insurer/connectors/legacy-cdc.json", LEGACY_DATABASE)
                .with(Map.of(
                        "database.port",
                        Integer.toString(postgres.port()),
                        "topic.prefix",
                        topicPrefix,
                        "table.include.list",
                        "public.policy",
                        "slot.name",
                        topicPrefix,
                        "publication.name",
                        topicPrefix))
                .config();
    }

    /** The example's policy sink, into {@code targetDatabase}, with {@code tasks} tasks. */
    Map<String, String> sink(String topic, String targetDatabase, int tasks) {
        return load("insurer/connectors/policy-sink.json", targetDatabase)
                .with(Map.of(
                        "topics",
                        topic,
                        "tasks.max",
                        Integer.toString(tasks),
                        "errors.deadletterqueue.topic.name",
                        "scaleout.dlq.policy",
                        "errors.deadletterqueue.topic.replication.factor",
                        "1"))
                .config();
    }

    /** The example's policy reconciler as one full sweep (the next one an hour later), with {@code tasks} tasks. */
    Map<String, String> reconcile(String targetDatabase, int tasks, String driftTopic, String summaryTopic) {
        return load("insurer/connectors/policy-reconcile.json", targetDatabase)
                .with(Map.of(
                        "tasks.max",
                        Integer.toString(tasks),
                        "mode",
                        "full",
                        "interval.ms",
                        "3600000",
                        "rows.per.second",
                        "0",
                        "drift.topic",
                        driftTopic,
                        "summary.topic",
                        summaryTopic,
                        "drift.state.bootstrap.servers",
                        connect.bootstrapServers()))
                .config();
    }

    private ConfigExample load(String example, String targetDatabase) {
        String hostPort = postgres.host() + ":" + postgres.port();
        Map<String, String> addresses = new LinkedHashMap<>();
        addresses.put("policy-db:5432/policy_service", hostPort + "/" + targetDatabase);
        addresses.put("legacy-db:5432", hostPort);
        addresses.put("legacy-db", postgres.host());
        addresses.put("/etc/kafka-connect/secrets", secrets.toString());
        addresses.put("/etc/migration/specs", specs.toString());
        addresses.put(SkeletonPipeline.EXAMPLE_KAFKA, connect.bootstrapServers());
        return ConfigExample.load(example).relocated(addresses);
    }
}
