package io.rollingmigration.converter;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.kafka.connect.data.Schema;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random schemas and values, seeded so a failure can be replayed: both converters write the same
 * bytes, read them back alike, and read the same bytes with one random change alike (data or the same error).
 */
class GeneratedCasesTest {

    private static final long SEED = Long.getLong("converter.seed", 20261208L);
    private static final int CASES = 3_000;

    @Test
    void randomSchemasAndValuesAreWrittenAndReadAlike() {
        List<BothConverters> settings = Settings.everyCombination();
        int onFastPath = 0;
        for (int i = 0; i < CASES; i++) {
            long seed = SEED + i;
            RandomConnectData random = new RandomConnectData(seed);
            BothConverters both = settings.get(i % settings.size());
            Schema schema = random.schema(3);
            Object value = random.value(schema);
            String topic = "topic-" + (i % 3);
            try {
                long before = both.ours.answeredByReference();
                byte[] written = both.assertSameWrite(topic, schema, value);
                if (written != null) {
                    both.assertSameRead(topic, written);
                    both.assertSameRead(topic, written); // again: now from the topic's last schema
                }
                if (both.ours.answeredByReference() == before) onFastPath++;
                if (written != null) {
                    for (int m = 0; m < 3; m++) {
                        both.assertSameRead(topic, random.mutate(written));
                    }
                }
            } catch (AssertionError e) {
                throw new AssertionError("case " + i + " (seed " + seed + "): " + schema + " = " + value, e);
            }
        }
        // Most cases must be answered by our own code, or this test proves nothing about it.
        assertTrue(
                onFastPath > CASES * 95 / 100,
                "only " + onFastPath + " of " + CASES + " cases stayed on the fast path");
    }
}
