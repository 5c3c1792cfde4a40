package io.rollingmigration.packaging;

import io.rollingmigration.testsupport.ConnectClusterFixture;
import io.rollingmigration.testsupport.ConnectRest;
import io.rollingmigration.testsupport.PostgresFixture;
import io.rollingmigration.testsupport.SkeletonPipeline;
import io.rollingmigration.testsupport.TopicReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One Connect cluster per test class, installed as an operator installs the suite ({@link
 * ComponentArchives#startCluster}): started before the class's own {@code @BeforeAll} methods, stopped and its
 * working directory removed after the class. Register it as a static field:
 *
 * <pre>{@code @RegisterExtension static final InstalledCluster connect = InstalledCluster.standard();}</pre>
 */
final class InstalledCluster implements BeforeAllCallback, AfterAllCallback {

    private final UnaryOperator<ConnectClusterFixture.Builder> adjust;
    private Path work;
    private ConnectClusterFixture cluster;

    private InstalledCluster(UnaryOperator<ConnectClusterFixture.Builder> adjust) {
        this.adjust = adjust;
    }

    /** One worker with the suite's and Debezium's plugins, config providers for secrets and specs. */
    static InstalledCluster standard() {
        return new InstalledCluster(builder -> builder);
    }

    /** The standard cluster, adjusted (more workers, worker settings) when it starts. */
    static InstalledCluster adjusted(UnaryOperator<ConnectClusterFixture.Builder> adjust) {
        return new InstalledCluster(adjust);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        work = Files.createTempDirectory("installed-cluster-");
        cluster = ComponentArchives.startCluster(work, adjust);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            removeWork();
        }
    }

    private void removeWork() throws IOException {
        if (work == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(work)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** The class's working directory: the unpacked plugins, and {@code secrets/} for the password files. */
    Path work() {
        return work;
    }

    /** A pipeline of the example connectors whose secrets live in this cluster's working directory. */
    SkeletonPipeline pipelineFor(PostgresFixture postgres) {
        return SkeletonPipeline.pointedAt(postgres, secrets());
    }

    Path secrets() {
        return work.resolve("secrets");
    }

    ConnectRest rest() {
        return cluster.rest();
    }

    TopicReader topics() {
        return cluster.topics();
    }

    EmbeddedConnectCluster cluster() {
        return cluster.cluster();
    }

    String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    void createTopic(String name, int partitions, Map<String, String> topicConfig) {
        cluster.createTopic(name, partitions, topicConfig);
    }
}
