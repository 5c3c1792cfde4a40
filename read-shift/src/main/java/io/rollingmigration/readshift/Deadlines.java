package io.rollingmigration.readshift;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The deadlines of the secondary reads, on one thread. Every read gets the same timeout, so deadlines arrive in
 * the order they fall due and a queue keeps them in order without a timer's heap and lock: adding one is a
 * lock-free enqueue, and the thread sleeps until the oldest is due. An expiry runs even when its read has finished
 * (it then does nothing), which keeps adding cheap.
 */
final class Deadlines implements AutoCloseable {

    private record Deadline(long dueNanos, Runnable expiry) {}

    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Queue<Deadline> due = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    Deadlines(String name) {
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    void add(long dueNanos, Runnable expiry) {
        due.offer(new Deadline(dueNanos, expiry));
    }

    private void run() {
        while (running) {
            Deadline next = due.peek();
            long wait = next == null ? IDLE_NANOS : next.dueNanos() - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(this, Math.min(wait, IDLE_NANOS));
                continue;
            }
            due.poll();
            try {
                next.expiry().run();
            } catch (RuntimeException e) {
                // An expiry reports its own outcome; the next deadline must still be kept.
            }
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
    }
}
