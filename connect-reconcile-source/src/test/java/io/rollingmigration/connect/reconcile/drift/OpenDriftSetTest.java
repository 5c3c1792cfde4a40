package io.rollingmigration.connect.reconcile.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rollingmigration.connect.common.drift.DriftKind;
import io.rollingmigration.connect.common.drift.Severity;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OpenDriftSetTest {

    @Test
    void aTaskAnswersForTheDriftOfItsOwnRangeAndForOrphansOfAnotherSplit() {
        OpenDriftSet open = new OpenDriftSet();
        open.put(drift("mine", "0/2"));
        open.put(drift("the-other-task's", "1/2"));
        open.put(drift("from-when-there-were-three-tasks", "2/3"));
        open.put(drift("from-before-ranges", null));

        open.retainRange("0/2");

        assertEquals(
                Set.of("mine", "from-when-there-were-three-tasks", "from-before-ranges"),
                open.all().stream().map(OpenDrift::targetKey).collect(Collectors.toSet()));
        assertEquals(3, open.size(), "what the task counts as open is what it rechecks");
        assertEquals(3, open.unseen("0/2", Set.of()).size());
    }

    private static OpenDrift drift(String targetKey, String range) {
        return new OpenDrift(
                targetKey,
                "{\"id\":\"" + targetKey + "\"}",
                DriftKind.FIELD_MISMATCH,
                Severity.HIGH,
                range,
                1_000L,
                0L);
    }
}
