package io.rollingmigration.readshift;

import io.rollingmigration.connect.common.ownership.Owner;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the reads of one request as its route says. The read that answers runs on the caller's thread, so the
 * request takes its time and no more; the other is handed to the lane's dispatcher without waking a thread, starts
 * on the lane's threads within a millisecond, is abandoned (interrupted) at its timeout, counted from the request,
 * and its failure never reaches the caller. Once both are settled, the comparison runs on the comparison thread and
 * goes to the feed. When the lane's threads or queues are full the request still goes first: the comparison is
 * recorded as skipped.
 */
public final class ShadowReads implements AutoCloseable {

    private final Map<String, ReadComparison> comparisons;
    private final ComparisonFeed feed;
    private final long secondaryTimeoutNanos;
    private final ThreadPoolExecutor secondaries;
    private final HandOff[] comparing;
    private final AtomicInteger nextComparer = new AtomicInteger();
    private final Deadlines timeouts = new Deadlines("read-shift-timeout");
    private final HandOff dispatch;
    private final AtomicLong skipped = new AtomicLong();
    /** A difference is read again after this long (0: never), before it is called a mismatch. */
    private final long recheckNanos;

    private final Deadlines rechecks = new Deadlines("read-shift-recheck");

    public ShadowReads(
            Map<String, ReadComparison> comparisons,
            ComparisonFeed feed,
            Duration secondaryTimeout,
            Duration recheckDelay,
            int secondaryThreads,
            int comparisonThreads) {
        this.comparisons = Map.copyOf(comparisons);
        this.recheckNanos = recheckDelay.toNanos();
        this.feed = feed;
        this.secondaryTimeoutNanos = secondaryTimeout.toNanos();
        this.secondaries = new ThreadPoolExecutor(
                secondaryThreads,
                secondaryThreads,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(secondaryThreads * 64),
                daemons("read-shift-secondary"));
        this.dispatch = new HandOff("read-shift-dispatch", secondaryThreads * 64);
        this.comparing = new HandOff[comparisonThreads];
        for (int i = 0; i < comparisonThreads; i++) {
            comparing[i] = new HandOff("read-shift-compare-" + (i + 1), 16_384 / comparisonThreads);
        }
    }

    /**
     * The answer of the store the route names; for SHADOW and CANARY the other store is read too and compared.
     *
     * @throws Exception what the answering read throws: a failure of the other read never does
     */
    public <R> R read(RouteDecision route, Callable<LegacyAnswer<R>> legacy, Callable<ServiceAnswer<R>> service)
            throws Exception {
        if (!route.compared()) {
            return route.answeredBy() == Owner.LEGACY
                    ? legacy.call().response()
                    : service.call().response();
        }
        Shadowed<R> shadowed = new Shadowed<>(route, System.currentTimeMillis(), legacy, service);
        boolean legacyAnswers = route.answeredBy() == Owner.LEGACY;
        shadowed.startSecondary(legacyAnswers ? service : legacy);
        long started = System.nanoTime();
        try {
            if (legacyAnswers) {
                LegacyAnswer<R> answer = legacy.call();
                shadowed.legacy(answer, micros(started));
                return answer.response();
            }
            ServiceAnswer<R> answer = service.call();
            shadowed.service(answer, micros(started));
            return answer.response();
        } catch (Exception | Error e) {
            shadowed.primaryFailed(e);
            throw e;
        } finally {
            shadowed.settle();
        }
    }

    /** Comparisons not made because the lane was full, since start. */
    public long skipped() {
        return skipped.get();
    }

    /** The comparisons waiting for the comparison thread. */
    public int backlog() {
        int backlog = 0;
        for (HandOff handOff : comparing) {
            backlog += handOff.backlog();
        }
        return backlog;
    }

    private static long micros(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000;
    }

    /** One request's two reads, settled once each: by finishing, failing or (the secondary) timing out. */
    private final class Shadowed<R> {
        private final RouteDecision route;
        private final long atMillis;
        private final AtomicInteger unsettled = new AtomicInteger(2);
        private final AtomicBoolean secondarySettled = new AtomicBoolean();
        private volatile Future<?> running;
        private volatile LegacyAnswer<R> legacy;
        private volatile ServiceAnswer<R> service;
        private volatile long legacyMicros = -1;
        private volatile long serviceMicros = -1;
        private volatile ReadVerdict failure;
        private final Callable<LegacyAnswer<R>> legacyRead;
        private final Callable<ServiceAnswer<R>> serviceRead;

        Shadowed(
                RouteDecision route,
                long atMillis,
                Callable<LegacyAnswer<R>> legacyRead,
                Callable<ServiceAnswer<R>> serviceRead) {
            this.route = route;
            this.atMillis = atMillis;
            this.legacyRead = legacyRead;
            this.serviceRead = serviceRead;
        }

        void legacy(LegacyAnswer<R> answer, long micros) {
            legacy = answer;
            legacyMicros = micros;
        }

        void service(ServiceAnswer<R> answer, long micros) {
            service = answer;
            serviceMicros = micros;
        }

        void primaryFailed(Throwable e) {
            failure = ReadVerdict.of(ReadOutcome.PRIMARY_FAILED, describe(e));
        }

        void startSecondary(Callable<?> read) {
            Runnable task = () -> {
                long started = System.nanoTime();
                try {
                    Object answer = read.call();
                    if (secondarySettled.compareAndSet(false, true)) {
                        keepSecondary(answer, micros(started));
                        settle();
                    }
                } catch (Exception | Error e) {
                    if (secondarySettled.compareAndSet(false, true)) {
                        secondaryFailed(ReadVerdict.of(ReadOutcome.SECONDARY_FAILED, describe(e)));
                        settle();
                    }
                }
            };
            // The request hands the read over without waking a thread; the dispatcher starts it within a
            // millisecond, when the answering read is usually done, so the two seldom compete for the cores.
            boolean handedOver = dispatch.offer(() -> {
                if (secondarySettled.get()) {
                    return;
                }
                try {
                    running = secondaries.submit(task);
                } catch (RejectedExecutionException full) {
                    busy();
                }
            });
            if (!handedOver) {
                busy();
                return;
            }
            timeouts.add(System.nanoTime() + secondaryTimeoutNanos, () -> {
                if (secondarySettled.compareAndSet(false, true)) {
                    Future<?> started = running;
                    if (started != null) {
                        started.cancel(true);
                    }
                    secondaryFailed(ReadVerdict.of(
                            ReadOutcome.SECONDARY_TIMED_OUT,
                            "the " + (route.answeredBy() == Owner.LEGACY ? "service" : "legacy")
                                    + " read took longer than " + secondaryTimeoutNanos / 1_000_000
                                    + " ms and was abandoned"));
                    settle();
                }
            });
        }

        private void busy() {
            if (secondarySettled.compareAndSet(false, true)) {
                secondaryFailed(ReadVerdict.of(
                        ReadOutcome.SKIPPED, "the lane's secondary reads were all busy; the request went first"));
                settle();
            }
        }

        @SuppressWarnings("unchecked")
        private void keepSecondary(Object answer, long micros) {
            if (route.answeredBy() == Owner.LEGACY) {
                service((ServiceAnswer<R>) answer, micros);
            } else {
                legacy((LegacyAnswer<R>) answer, micros);
            }
        }

        private void secondaryFailed(ReadVerdict verdict) {
            if (failure == null) {
                failure = verdict;
            }
        }

        /** The last of the two to settle hands the comparison to the comparison thread. */
        void settle() {
            if (unsettled.decrementAndGet() != 0) {
                return;
            }
            HandOff comparer = comparing[Math.floorMod(nextComparer.getAndIncrement(), comparing.length)];
            if (!comparer.offer(this::compare)) {
                // Counted, not published: publishing may wait on the feed, and this may be the request's thread.
                skipped.incrementAndGet();
            }
        }

        private void compare() {
            ReadVerdict verdict = failure;
            if (verdict == null) {
                ReadComparison comparison = comparisons.get(route.unit());
                if (comparison == null) {
                    verdict = ReadVerdict.of(
                            ReadOutcome.SKIPPED, "no comparison is configured for unit '" + route.unit() + "'");
                } else {
                    try {
                        verdict = comparison.compare(legacy.rows(), service.aggregates(), atMillis);
                    } catch (RuntimeException e) {
                        verdict = ReadVerdict.of(ReadOutcome.UNTRANSLATABLE, describe(e));
                    }
                }
            }
            if (verdict.outcome() == ReadOutcome.SKIPPED) {
                skipped.incrementAndGet();
            }
            if (recheckNanos > 0
                    && (verdict.outcome() == ReadOutcome.MISMATCH || verdict.outcome() == ReadOutcome.IN_FLIGHT)) {
                ReadVerdict first = verdict;
                rechecks.add(System.nanoTime() + recheckNanos, () -> {
                    try {
                        secondaries.execute(() -> recheck(first));
                    } catch (RejectedExecutionException full) {
                        publish(first);
                    }
                });
                return;
            }
            publish(verdict);
        }

        /**
         * Reads both stores again, off the request path, for a difference: one that is gone was a change on its
         * way (a legacy delete leaves no change time to tell it by), one that stays is what the second look says.
         */
        private void recheck(ReadVerdict first) {
            ReadVerdict again;
            try {
                LegacyAnswer<R> legacyAgain = legacyRead.call();
                ServiceAnswer<R> serviceAgain = serviceRead.call();
                again = comparisons
                        .get(route.unit())
                        .compare(legacyAgain.rows(), serviceAgain.aggregates(), System.currentTimeMillis());
            } catch (Exception | Error e) {
                publish(new ReadVerdict(
                        first.outcome(),
                        first.targetKeys(),
                        first.fields(),
                        first.kinds(),
                        "not read again (" + describe(e) + ")"));
                return;
            }
            if (again.outcome() == ReadOutcome.MATCH) {
                publish(new ReadVerdict(
                        ReadOutcome.IN_FLIGHT,
                        first.targetKeys(),
                        first.fields(),
                        first.kinds(),
                        "the answers matched when read again " + recheckNanos / 1_000_000 + " ms later"));
            } else {
                publish(again);
            }
        }

        private void publish(ReadVerdict verdict) {
            ReadComparison comparison = comparisons.get(route.unit());
            feed.comparison(new ComparisonRecord(
                    route.unit(),
                    route.partition(),
                    route.key(),
                    route.consumer(),
                    route.mode(),
                    route.answeredBy(),
                    verdict,
                    legacyMicros,
                    serviceMicros,
                    atMillis,
                    comparison == null ? null : comparison.rule()));
        }
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger next = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + next.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Waits up to {@code patience} for the comparisons under way to reach the feed; for shutdown and tests. */
    public boolean drain(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            if (dispatch.idle()
                    && secondaries.getActiveCount() == 0
                    && secondaries.getQueue().isEmpty()
                    && Arrays.stream(comparing).allMatch(HandOff::idle)) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    @Override
    public void close() {
        secondaries.shutdownNow();
        dispatch.close();
        timeouts.close();
        rechecks.close();
        for (HandOff handOff : comparing) {
            handOff.close();
        }
    }
}
