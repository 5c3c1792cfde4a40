package io.rollingmigration.connect.sink.write;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WriteMethodTest {

    @Test
    void autoStagesOnlyBatchesLargeEnoughToPayForTheStagingRoundTrip() {
        assertFalse(WriteMethod.AUTO.stages(WriteMethod.COPY_FROM_ROWS - 1, true));
        assertTrue(WriteMethod.AUTO.stages(WriteMethod.COPY_FROM_ROWS, true));
    }

    @Test
    void autoUsesStatementsWhereTheDatabaseHasNoStagedPath() {
        assertFalse(WriteMethod.AUTO.stages(10_000, false));
    }

    @Test
    void copyAndStatementsAreWhatTheOperatorChose() {
        assertTrue(WriteMethod.COPY.stages(1, true));
        assertFalse(WriteMethod.STATEMENTS.stages(10_000, true));
    }
}
