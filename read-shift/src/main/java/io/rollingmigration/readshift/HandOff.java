package io.rollingmigration.readshift;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Work handed off the request path to one thread of its own: an offer is a lock-free enqueue. While work keeps
 * coming the thread looks for it every millisecond; only after a second without any does it sleep until an offer
 * wakes it. A busy lane thus costs a request no system call, and an idle one costs no CPU. Bounded: an
 * offer beyond the capacity is refused, and the request goes on without it.
 */
final class HandOff implements AutoCloseable {

    /** After work, the thread naps this long between looks for a second before it sleeps until woken. */
    private static final long NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final long BUSY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Queue<Runnable> work = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;
    private final Thread thread;
    private volatile boolean sleeping;
    private volatile boolean running = true;
    private volatile boolean busy;

    HandOff(String name, int capacity) {
        this.capacity = capacity;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues the work; false when the queue is full. */
    boolean offer(Runnable runnable) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return false;
        }
        work.offer(runnable);
        if (sleeping) {
            LockSupport.unpark(thread);
        }
        return true;
    }

    /** The work waiting. */
    int backlog() {
        return size.get();
    }

    /** True when nothing waits and nothing runs. */
    boolean idle() {
        return size.get() == 0 && !busy;
    }

    private void run() {
        long idleSince = System.nanoTime();
        while (running) {
            Runnable next = work.poll();
            if (next == null) {
                if (System.nanoTime() - idleSince < BUSY_NANOS) {
                    // Recently busy: look again in a moment rather than be woken by an offer, so that handing
                    // work over costs a request no wake-up of this thread (one that might preempt the request's).
                    LockSupport.parkNanos(this, NAP_NANOS);
                    continue;
                }
                sleeping = true;
                if (work.isEmpty() && running) {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
                }
                sleeping = false;
                continue;
            }
            idleSince = System.nanoTime();
            busy = true;
            size.decrementAndGet();
            try {
                next.run();
            } catch (RuntimeException e) {
                // The work reports its own failures; one that escapes must not stop the lane.
            } finally {
                busy = false;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
