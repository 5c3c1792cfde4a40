package io.rollingmigration.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollingmigration.testsupport.TopicReader;
import io.rollingmigration.testsupport.TopicReader.TopicRecord;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** The reconciler's run summaries, as its summary topic holds them. */
final class DriftSummaries {

    private DriftSummaries() {}

    /** The summaries of every completed run in the topic, oldest first. */
    static List<JsonNode> completed(TopicReader topics, String topic) {
        return topics.readAll(topic).stream()
                .map(TopicRecord::value)
                .filter(DriftSummaries::isCompleted)
                .toList();
    }

    static boolean isCompleted(JsonNode summary) {
        return "COMPLETED".equals(summary.path("status").asText());
    }

    /** The latest completed run's summary that {@code accept} takes, waiting for one. */
    static JsonNode await(
            TopicReader topics, String topic, Duration patience, Predicate<JsonNode> accept, String what) {
        Predicate<JsonNode> completed = s -> isCompleted(s) && accept.test(s);
        List<TopicRecord> summaries = topics.await(
                topic, patience, what, records -> records.stream().anyMatch(r -> completed.test(r.value())));
        return summaries.stream()
                .map(TopicRecord::value)
                .filter(completed)
                .reduce((a, b) -> b)
                .orElseThrow();
    }

    /** Rows a run found differing, of every kind. */
    static long differences(JsonNode summary) {
        return summary.path("missing_in_target").asLong()
                + summary.path("unexpected_in_target").asLong()
                + summary.path("field_mismatch").asLong()
                + summary.path("rule_violation").asLong()
                + summary.path("missing_fragment").asLong()
                + summary.path("unexpected_fragment").asLong()
                + summary.path("missing_in_legacy").asLong()
                + summary.path("unexpected_in_legacy").asLong();
    }
}
