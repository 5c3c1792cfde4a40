package io.rollingmigration.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The connectors of the walking-skeleton migration, taken from {@code config-examples/} and pointed at the local
 * databases: the stock Debezium PostgreSQL source, our transform and sink, and our reconciler.
 */
public final class SkeletonPipeline {

    public static final String DEBEZIUM_EXAMPLE = "debezium/legacy-customer-source.json";
    public static final String SINK_EXAMPLE = "connect-sink/customer-sink.json";
    public static final String RECONCILE_EXAMPLE = "connect-reconcile-source/customer-reconcile.json";

    /** The Kafka cluster the examples name. */
    public static final String EXAMPLE_KAFKA = "kafka-1:9092,kafka-2:9092,kafka-3:9092";

    private final Map<String, String> addresses;

    private SkeletonPipeline(Map<String, String> addresses) {
        this.addresses = addresses;
    }

    /**
     * Points the examples at {@code postgres}; the passwords they read through the file config provider are written
     * to {@code secretsDir}.
     */
    public static SkeletonPipeline pointedAt(PostgresFixture postgres, Path secretsDir) {
        try {
            Files.createDirectories(secretsDir);
            String secret = "password=" + postgres.password() + "\n";
            Files.writeString(secretsDir.resolve("legacy.properties"), secret);
            Files.writeString(secretsDir.resolve("target.properties"), secret);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the sandbox's secrets", e);
        }
        String hostPort = postgres.host() + ":" + postgres.port();
        Map<String, String> addresses = new LinkedHashMap<>();
        addresses.put("legacy-db:5432", hostPort);
        addresses.put("target-db:5432", hostPort);
        addresses.put("legacy-db", postgres.host());
        addresses.put("target-db", postgres.host());
        addresses.put("/etc/kafka-connect/secrets", secretsDir.toAbsolutePath().toString());
        return new SkeletonPipeline(addresses);
    }

    /** The worker settings the examples rely on: config providers for secrets (file) and mapping specs (dir). */
    public static ConnectClusterFixture.Builder withSecretsProvider(ConnectClusterFixture.Builder builder) {
        return builder.workerProperty("config.providers", "file,dir")
                .workerProperty(
                        "config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider")
                .workerProperty(
                        "config.providers.dir.class",
                        "org.apache.kafka.common.config.provider.DirectoryConfigProvider");
    }

    /** Any example, pointed at the local databases and secrets. */
    public ConfigExample relocate(ConfigExample example) {
        return example.relocated(addresses);
    }

    public ConfigExample debeziumSource(int postgresPort) {
        return ConfigExample.load(DEBEZIUM_EXAMPLE)
                .relocated(addresses)
                .with(Map.of("database.port", Integer.toString(postgresPort)));
    }

    /** The sink example, without status records (it does not know this test's Kafka cluster). */
    public ConfigExample sink() {
        return sink("");
    }

    /** The sink example, publishing its status records to the Kafka cluster at {@code kafkaBootstrap}. */
    public ConfigExample sink(String kafkaBootstrap) {
        // One broker here, three in the example's production cluster.
        return ConfigExample.load(SINK_EXAMPLE)
                .relocated(addresses)
                .with(Map.of(
                        "errors.deadletterqueue.topic.replication.factor",
                        "1",
                        "status.bootstrap.servers",
                        kafkaBootstrap));
    }

    /** The reconciler example, reading its drift state back from the Kafka cluster at {@code kafkaBootstrap}. */
    public ConfigExample reconcile(long intervalMillis, String kafkaBootstrap) {
        return ConfigExample.load(RECONCILE_EXAMPLE)
                .relocated(addresses)
                .relocated(Map.of(EXAMPLE_KAFKA, kafkaBootstrap))
                .with(Map.of("interval.ms", Long.toString(intervalMillis)));
    }
}
