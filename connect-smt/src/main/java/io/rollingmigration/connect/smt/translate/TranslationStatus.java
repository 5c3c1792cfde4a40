package io.rollingmigration.connect.smt.translate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollingmigration.connect.common.status.FailureReason;
import io.rollingmigration.connect.common.status.StatusConfig;
import io.rollingmigration.connect.common.status.StatusPublisher;
import io.rollingmigration.connect.common.status.StatusReport;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A translation transform's figures for the status topic: records translated, dropped on purpose and failed (totals
 * since the task started, and per second over the last interval), the failures by the field of the spec they failed
 * at, and the values of dropped legacy columns the target does not keep. The failures are what Connect sends to the
 * dead letter queue under {@code errors.tolerance=all}: the sink never sees them. Recorded from the task's thread,
 * read from the publisher's.
 */
final class TranslationStatus implements AutoCloseable {

    private final String connector;
    private final int task;
    private final String unit;
    private long translated;
    private long dropped;
    private long failed;
    private long translatedBefore;
    private long droppedBefore;
    private long failedBefore;
    private long intervalStart;
    private final Map<String, Long> failedByReason = new TreeMap<>();
    private final Map<String, Long> semanticLoss = new TreeMap<>();
    private StatusPublisher publisher;

    TranslationStatus(String connector, int task, String unit, long now) {
        this.connector = connector;
        this.task = task;
        this.unit = unit;
        this.intervalStart = now;
    }

    /** The figures of one transform instance, published as {@code settings} say; {@code null} for none. */
    static TranslationStatus publish(StatusConfig.Settings settings, String connector, int task, String unit) {
        if (settings == null) {
            return null;
        }
        TranslationStatus status = new TranslationStatus(connector, task, unit, System.currentTimeMillis());
        status.publisher = StatusPublisher.start(
                settings,
                () -> List.of(status.report(System.currentTimeMillis())),
                connector + "-" + task + "-translate-" + unit);
        return status;
    }

    synchronized void translated() {
        translated++;
    }

    synchronized void dropped() {
        dropped++;
    }

    synchronized void failed(Throwable failure) {
        failed++;
        failedByReason.merge(FailureReason.of(failure), 1L, Long::sum);
    }

    synchronized void semanticLoss(String column) {
        semanticLoss.merge(column, 1L, Long::sum);
    }

    /** The report of the interval that ends now; the next interval starts. */
    synchronized StatusReport report(long now) {
        double seconds = Math.max(0.001, (now - intervalStart) / 1000.0);
        ObjectNode figures = StatusReport.newFigures();
        ObjectNode totals = figures.putObject("totals");
        ObjectNode rates = figures.putObject("per_second");
        StatusReport.putTotalAndRate(totals, rates, "translated", translated, translatedBefore, seconds);
        StatusReport.putTotalAndRate(totals, rates, "dropped", dropped, droppedBefore, seconds);
        StatusReport.putTotalAndRate(totals, rates, "failed", failed, failedBefore, seconds);
        ObjectNode reasons = figures.putObject("failed_by_reason");
        failedByReason.forEach(reasons::put);
        ObjectNode loss = figures.putObject("semantic_loss_by_column");
        semanticLoss.forEach(loss::put);
        figures.put("interval_s", Double.parseDouble(String.format(Locale.ROOT, "%.3f", seconds)));
        translatedBefore = translated;
        droppedBefore = dropped;
        failedBefore = failed;
        intervalStart = now;
        return new StatusReport(StatusReport.Kind.TRANSLATION, connector, task, unit, figures);
    }

    /** Publishes the last report and stops publishing. */
    @Override
    public void close() {
        if (publisher != null) {
            publisher.close();
        }
    }
}
