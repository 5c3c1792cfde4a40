package io.rollingmigration.connect.common.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rollingmigration.connect.common.spec.TranslationFailure;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

/** A rejected record is counted under a bounded name, never under a value it holds. */
class FailureReasonTest {

    @Test
    void aTranslationFailureCountsUnderTheSpecsFieldEvenWhenWrapped() {
        TranslationFailure failure = new TranslationFailure(
                "aggregates.policy.fields.status", "policy@1 aggregates.policy.fields.status: 'Z' unmapped", null);
        assertEquals("aggregates.policy.fields.status", FailureReason.of(failure));
        assertEquals("aggregates.policy.fields.status", FailureReason.of(new ConnectException("wrapped", failure)));
    }

    @Test
    void otherFailuresCountUnderTheirCodeOrTheirClass() {
        assertEquals(
                "LEGACY_WRITE_AFTER_CUTOVER",
                FailureReason.of(new DataException("LEGACY_WRITE_AFTER_CUTOVER: EU is owned by TARGET")));
        assertEquals("DataException", FailureReason.of(new DataException("legacy value 'Ada' is not a number")));
        assertEquals("DataException", FailureReason.of(new DataException("Ab: lower-case words are no code")));
    }
}
