package io.rollingmigration.connect.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A database outage is retried by time: doubling waits with jitter up to a cap, until the timeout has passed. */
class RetryPolicyTest {

    private static final RetryPolicy.Settings TEN_MINUTES = new RetryPolicy.Settings(600_000, 3_000, 60_000, -1);

    @Test
    void waitsDoubleFromTheFirstBackOffUpToTheCap() {
        RetryPolicy policy = new RetryPolicy(TEN_MINUTES, () -> 0.5);
        List<Long> waits = new ArrayList<>();
        long now = 1_000_000;
        for (int i = 0; i < 7; i++) {
            long wait = policy.failed(now);
            waits.add(wait);
            now += wait;
        }
        assertEquals(List.of(3_000L, 6_000L, 12_000L, 24_000L, 48_000L, 60_000L, 60_000L), waits);
        assertEquals(7, policy.retries());
        assertEquals(1_000_000, policy.unavailableSince());
    }

    @Test
    void jitterSpreadsEachWaitByAFifthEitherWay() {
        assertEquals(2_400, new RetryPolicy(TEN_MINUTES, () -> 0.0).failed(0));
        assertEquals(3_599, new RetryPolicy(TEN_MINUTES, () -> 0.99999).failed(0), 1);
    }

    @Test
    void itGivesUpOnceTheTimeoutHasPassedSinceTheFirstFailureAndTheLastTryFallsOnTheDeadline() {
        RetryPolicy policy = new RetryPolicy(new RetryPolicy.Settings(100_000, 30_000, 60_000, -1), () -> 0.5);
        assertEquals(30_000, policy.failed(0));
        assertEquals(60_000, policy.failed(30_000));
        assertEquals(10_000, policy.failed(90_000), "not past the deadline");
        assertEquals(-1, policy.failed(100_000));
    }

    @Test
    void aCountSetAsWellEndsTheRetriesFirstIfItIsReachedFirst() {
        RetryPolicy policy = new RetryPolicy(new RetryPolicy.Settings(-1, 10, 10, 2), () -> 0.5);
        assertTrue(policy.failed(0) >= 0);
        assertTrue(policy.failed(10) >= 0);
        assertEquals(-1, policy.failed(20));
        assertEquals("without a time limit, at most 2 retries", policy.limit());
    }

    @Test
    void aSuccessEndsTheOutageAndSaysHowLongItLasted() {
        RetryPolicy policy = new RetryPolicy(TEN_MINUTES, () -> 0.5);
        assertNull(policy.succeeded(5), "no outage, nothing to say");
        policy.failed(1_000);
        policy.failed(4_000);
        assertEquals(Duration.ofMillis(9_000), policy.succeeded(10_000));
        assertEquals(0, policy.unavailableSince());
        assertEquals(0, policy.retries());
        assertEquals(3_000, policy.failed(20_000), "a new outage starts from the first wait");
    }
}
