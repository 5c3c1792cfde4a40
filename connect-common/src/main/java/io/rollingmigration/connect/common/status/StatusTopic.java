package io.rollingmigration.connect.common.status;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the status topic compacted, so that it keeps the latest report of every task and unit for as long as
 * the migration runs, whoever starts first: a plugin's task or a worker's dashboard.
 */
public final class StatusTopic {

    private StatusTopic() {}

    /**
     * Creates the topic if missing (one partition: a few records per task every few seconds; the broker's
     * replication factor); an error other than "exists" is returned, for the caller to log.
     */
    public static Optional<String> ensure(Map<String, Object> client, String topic) {
        Map<String, Object> admin = StatusConfig.connectionSettings(client);
        admin.put("request.timeout.ms", 10_000);
        admin.put("default.api.timeout.ms", 15_000);
        try (Admin kafka = Admin.create(admin)) {
            NewTopic status = new NewTopic(topic, Optional.of(1), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            kafka.createTopics(List.of(status)).all().get(20, TimeUnit.SECONDS);
            return Optional.empty();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return Optional.empty();
            }
            return Optional.of(String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        } catch (TimeoutException | RuntimeException e) {
            return Optional.of(e.toString());
        }
    }
}
