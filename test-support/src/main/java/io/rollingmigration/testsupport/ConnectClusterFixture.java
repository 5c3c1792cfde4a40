package io.rollingmigration.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.runtime.isolation.PluginDiscoveryMode;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/**
 * A real Kafka Connect cluster in this JVM: Kafka's {@link EmbeddedConnectCluster} (a KRaft broker and distributed
 * workers with the real REST API). Plugins are loaded from {@code plugin.path} directories with
 * {@code plugin.discovery=service_load}, as on a production worker, never from the test classpath.
 *
 * <p>Start one per test class ({@code @BeforeAll}) and close it in {@code @AfterAll}.
 */
public final class ConnectClusterFixture implements AutoCloseable {

    private final EmbeddedConnectCluster cluster;
    private final ConnectRest rest;
    private final TopicReader topics;

    private ConnectClusterFixture(EmbeddedConnectCluster cluster) {
        this.cluster = cluster;
        this.rest = new ConnectRest(cluster.workers().iterator().next().url());
        this.topics = new TopicReader(cluster.kafka());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The REST API of one worker, as an operator reaches it. */
    public ConnectRest rest() {
        return rest;
    }

    public TopicReader topics() {
        return topics;
    }

    public EmbeddedConnectCluster cluster() {
        return cluster;
    }

    public String bootstrapServers() {
        return cluster.kafka().bootstrapServers();
    }

    public void createTopic(String name, int partitions, Map<String, String> topicConfig) {
        cluster.kafka().createTopic(name, partitions, 1, topicConfig);
    }

    @Override
    public void close() {
        cluster.stop();
    }

    public static final class Builder {
        private final List<Path> pluginLocations = new ArrayList<>();
        private final Map<String, String> workerProperties = new HashMap<>();
        private final Properties brokerProperties = new Properties();
        private int workers = 1;
        private String name = "migration-connect";

        /** Adds a directory whose sub-directories are plugins (a {@code plugin.path} entry). */
        public Builder pluginPath(Path directory) {
            if (!Files.isDirectory(directory)) {
                throw new IllegalArgumentException("Plugin directory " + directory + " does not exist; run "
                        + "'mvn package' so the plugins are packaged first");
            }
            pluginLocations.add(directory.toAbsolutePath());
            return this;
        }

        public Builder workers(int count) {
            this.workers = count;
            return this;
        }

        public Builder name(String clusterName) {
            this.name = clusterName;
            return this;
        }

        public Builder workerProperty(String key, String value) {
            workerProperties.put(key, value);
            return this;
        }

        public Builder brokerProperty(String key, String value) {
            brokerProperties.setProperty(key, value);
            return this;
        }

        public ConnectClusterFixture start() {
            if (pluginLocations.isEmpty()) {
                throw new IllegalStateException("No plugin.path given: a worker without plugins proves nothing");
            }
            Map<String, String> props = new HashMap<>();
            props.put(
                    WorkerConfig.PLUGIN_PATH_CONFIG,
                    pluginLocations.stream().map(Path::toString).collect(Collectors.joining(",")));
            props.put(
                    WorkerConfig.PLUGIN_DISCOVERY_CONFIG,
                    PluginDiscoveryMode.SERVICE_LOAD.name().toLowerCase());
            props.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
            props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
            props.put("key.converter.schemas.enable", "true");
            props.put("value.converter.schemas.enable", "true");
            // Commit offsets often so tests that restart tasks see recent progress.
            props.put("offset.flush.interval.ms", "1000");
            props.putAll(workerProperties);
            brokerProperties.putIfAbsent("auto.create.topics.enable", "true");
            EmbeddedConnectCluster cluster = new EmbeddedConnectCluster.Builder()
                    .name(name)
                    .numWorkers(workers)
                    .numBrokers(1)
                    .brokerProps(brokerProperties)
                    .workerProps(props)
                    .build();
            cluster.start();
            return new ConnectClusterFixture(cluster);
        }
    }
}
