package io.rollingmigration.connect.common.status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a task's status reports every interval, on a thread of its own so that neither a slow broker nor the
 * figures' gathering ever holds the task's own work, and once more as the task stops. A broker that cannot be
 * reached costs a WARN line per outage and lost reports, never the task: the reports are a view, the data goes
 * elsewhere.
 */
public final class StatusPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StatusPublisher.class);

    private final StatusConfig.Settings settings;
    private final Supplier<List<StatusReport>> reports;
    private final Producer<byte[], byte[]> producer;
    private final ScheduledExecutorService timer;
    private final String who;
    private final AtomicBoolean failing = new AtomicBoolean();
    private final AtomicBoolean delivered = new AtomicBoolean();
    private final List<StatusReport> lastPublished = new ArrayList<>();
    private final long startedAt = System.currentTimeMillis();

    StatusPublisher(
            StatusConfig.Settings settings,
            Supplier<List<StatusReport>> reports,
            Producer<byte[], byte[]> producer,
            String who) {
        this.settings = settings;
        this.reports = reports;
        this.producer = producer;
        this.who = who;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "migration-status-" + who);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts publishing, or returns {@code null} when the settings are {@code null} (status records off).
     *
     * @param who the task, for thread names and log lines ("policy-sink-0")
     */
    public static StatusPublisher start(
            StatusConfig.Settings settings, Supplier<List<StatusReport>> reports, String who) {
        if (settings == null) {
            log.info("{} publishes no status records: no status.bootstrap.servers", who);
            return null;
        }
        Map<String, Object> client = new HashMap<>(settings.producer());
        client.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "migration-status-" + who);
        client.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        client.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        client.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        client.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 100);
        Producer<byte[], byte[]> producer;
        try {
            producer = new KafkaProducer<>(client, new ByteArraySerializer(), new ByteArraySerializer());
        } catch (KafkaException e) {
            log.warn(
                    "{} publishes no status records: no producer for {} ({})",
                    who,
                    client.get("bootstrap.servers"),
                    e.getMessage());
            return null;
        }
        StatusPublisher publisher = new StatusPublisher(settings, reports, producer, who);
        publisher.timer.execute(() -> StatusTopic.ensure(client, settings.topic())
                .ifPresent(error -> log.warn(
                        "Could not create the status topic {} (publishing to it anyway): {}",
                        settings.topic(),
                        error)));
        publisher.timer.scheduleAtFixedRate(
                publisher::publishRunning, 0, settings.intervalMillis(), TimeUnit.MILLISECONDS);
        return publisher;
    }

    private void publishRunning() {
        try {
            List<StatusReport> current = reports.get();
            synchronized (lastPublished) {
                lastPublished.clear();
                lastPublished.addAll(current);
            }
            send(current, StatusReport.State.RUNNING);
        } catch (RuntimeException e) {
            log.warn("{} could not gather its status: {}", who, e.toString());
        }
    }

    private void send(List<StatusReport> current, StatusReport.State state) {
        long now = System.currentTimeMillis();
        for (StatusReport report : current) {
            producer.send(
                    new ProducerRecord<>(
                            settings.topic(),
                            report.key(),
                            report.value(state, now, settings.intervalMillis(), startedAt, settings.exitCriteria())),
                    (metadata, error) -> {
                        if (error == null) {
                            delivered.set(true);
                            if (failing.compareAndSet(true, false)) {
                                log.info("{} publishes its status to {} again", who, settings.topic());
                            }
                        } else if (failing.compareAndSet(false, true)) {
                            log.warn(
                                    "{} could not publish its status to {} (going on, trying again every {} ms): {}",
                                    who,
                                    settings.topic(),
                                    settings.intervalMillis(),
                                    error.toString());
                        }
                    });
        }
    }

    /**
     * Publishes the last reports once more as STOPPED, so the dashboard tells a stopped task from a silent one, and
     * closes the producer within a few seconds (at once when the broker has not answered).
     */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!delivered.get() || failing.get()) {
            // Nothing would get through: do not hold the task's stop for the broker's timeouts.
            producer.close(Duration.ZERO);
            return;
        }
        try {
            List<StatusReport> last;
            try {
                last = reports.get();
            } catch (RuntimeException e) {
                synchronized (lastPublished) {
                    last = new ArrayList<>(lastPublished);
                }
            }
            send(last, StatusReport.State.STOPPED);
        } catch (RuntimeException e) {
            log.debug("{} could not publish its last status: {}", who, e.toString());
        } finally {
            producer.close(Duration.ofSeconds(3));
        }
    }
}
