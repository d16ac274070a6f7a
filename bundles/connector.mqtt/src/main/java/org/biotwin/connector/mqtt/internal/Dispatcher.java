package org.biotwin.connector.mqtt.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers items to one consumer from a thread of its own through a queue bounded in items. {@link #enqueue} returns
 * as soon as the items are queued; when the queue is full it waits (back-pressure, counted once per wait) and never
 * drops. The dispatcher thread coalesces queued items into lists of at most {@code maxBatch} and preserves order.
 * <p>
 * A consumer that throws: by default its items count as delivered (logged, counted in {@code errors}). A
 * <em>durable</em> dispatcher instead delivers the same items again after a pause (100 ms doubling to 5 s), counting
 * each failure, until the consumer takes them or the dispatcher is closed: a durable consumer's exception means "not
 * stored". Each queued entry may carry a {@link Completion}, told once whether its items were delivered.
 * <p>
 * Thread-safe; {@link #enqueue} is meant to be called by one ingest thread.
 */
final class Dispatcher<T> {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final long RETRY_MIN_MILLIS = 100;
    private static final long RETRY_MAX_MILLIS = 5_000;

    /** Told once per entry: delivered (the consumer returned) or undelivered (closed before that). */
    interface Completion {
        void delivered();

        void undelivered();
    }

    private record Entry<T>(List<T> items, int permits, @Nullable Completion completion) {
    }

    private final String name;
    private final int capacity;
    private final int maxBatch;
    private final Consumer<List<T>> target;
    private final boolean durable;
    private final Semaphore space;
    private final LinkedBlockingQueue<Entry<T>> queue = new LinkedBlockingQueue<>();
    private final LongAdder backPressure;
    private final LongAdder errors;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile boolean closed;

    Dispatcher(String name, int capacity, int maxBatch, Consumer<List<T>> target, LongAdder backPressure,
            LongAdder errors) {
        this(name, capacity, maxBatch, target, false, backPressure, errors);
    }

    Dispatcher(String name, int capacity, int maxBatch, Consumer<List<T>> target, boolean durable,
            LongAdder backPressure, LongAdder errors) {
        this.name = name;
        this.capacity = capacity;
        this.maxBatch = maxBatch;
        this.target = target;
        this.durable = durable;
        this.space = new Semaphore(capacity);
        this.backPressure = backPressure;
        this.errors = errors;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues items, waiting while the queue is full.
     *
     * @throws InterruptedException if interrupted while waiting; the items are then not queued
     * @throws IllegalStateException if the dispatcher is closed
     */
    void enqueue(List<T> items) throws InterruptedException {
        enqueue(items, null);
    }

    /**
     * Queues items, waiting while the queue is full; {@code completion} (if any) is told their fate later.
     *
     * @throws InterruptedException if interrupted while waiting; the items are then not queued
     * @throws IllegalStateException if the dispatcher is closed
     */
    void enqueue(List<T> items, @Nullable Completion completion) throws InterruptedException {
        if (items.isEmpty()) {
            if (completion != null) {
                completion.delivered();
            }
            return;
        }
        int permits = Math.min(items.size(), capacity); // a list larger than the bound is admitted alone
        if (!space.tryAcquire(permits)) {
            backPressure.increment();
            while (!space.tryAcquire(permits, 100, TimeUnit.MILLISECONDS)) {
                if (closed) {
                    throw new IllegalStateException("dispatcher " + name + " is closed");
                }
            }
        }
        if (closed) {
            space.release(permits);
            throw new IllegalStateException("dispatcher " + name + " is closed");
        }
        queue.add(new Entry<>(items, permits, completion));
    }

    /**
     * Queues items only if there is room now; {@code completion} (if any) is told their fate later, if queued.
     *
     * @return whether they were queued (false: full, nothing queued)
     * @throws IllegalStateException if the dispatcher is closed
     */
    boolean tryEnqueue(List<T> items, @Nullable Completion completion) {
        if (items.isEmpty()) {
            if (completion != null) {
                completion.delivered();
            }
            return true;
        }
        int permits = Math.min(items.size(), capacity);
        if (!space.tryAcquire(permits)) {
            return false;
        }
        if (closed) {
            space.release(permits);
            throw new IllegalStateException("dispatcher " + name + " is closed");
        }
        queue.add(new Entry<>(items, permits, completion));
        return true;
    }

    /** Whether a consumer's exception means "not stored, deliver again". */
    boolean durable() {
        return durable;
    }

    /** Items queued and not yet delivered. */
    int queued() {
        return capacity - space.availablePermits();
    }

    private void run() {
        List<Entry<T>> taken = new ArrayList<>();
        try {
            while (!closed) {
                Entry<T> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (stopping) {
                        break;
                    }
                    continue;
                }
                taken.add(first);
                int n = first.items().size();
                Entry<T> next;
                while (n < maxBatch && (next = queue.peek()) != null && n + next.items().size() <= maxBatch) {
                    taken.add(queue.poll());
                    n += next.items().size();
                }
                List<T> batch;
                if (taken.size() == 1) {
                    batch = first.items();
                } else {
                    batch = new ArrayList<>(n);
                    for (Entry<T> e : taken) {
                        batch.addAll(e.items());
                    }
                }
                deliver(batch);
                int permits = 0;
                for (Entry<T> e : taken) {
                    permits += e.permits();
                    if (e.completion() != null) {
                        e.completion().delivered();
                    }
                }
                taken.clear();
                space.release(permits);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (Entry<T> e : taken) { // closed while a durable consumer kept refusing them
                if (e.completion() != null) {
                    e.completion().undelivered();
                }
            }
        }
    }

    /** Hands a batch to the consumer; durable: again and again after a pause until it takes it. */
    private void deliver(List<T> batch) throws InterruptedException {
        long pause = RETRY_MIN_MILLIS;
        while (true) {
            try {
                target.accept(batch);
                return;
            } catch (RuntimeException e) {
                errors.increment();
                if (!durable) {
                    LOG.error("{}: consumer threw; its {} items count as delivered", name, batch.size(), e);
                    return;
                }
                LOG.warn("{}: durable consumer refused {} items ({}); delivering them again in {} ms", name,
                        batch.size(), e.toString(), pause);
                if (closed) {
                    throw new InterruptedException("closed");
                }
                Thread.sleep(pause);
                pause = Math.min(RETRY_MAX_MILLIS, pause * 2);
            }
        }
    }

    /**
     * Delivers what is queued, waiting up to {@code drainMillis}, then stops the thread.
     *
     * @return the number of items still undelivered (0 after a complete drain)
     */
    int close(long drainMillis) {
        stopping = true;
        try {
            thread.join(drainMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closed = true;
        thread.interrupt();
        try {
            thread.join(1000); // it reports what it held back as undelivered
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = 0;
        Entry<T> e;
        while ((e = queue.poll()) != null) {
            left += e.items().size();
            if (e.completion() != null) {
                e.completion().undelivered();
            }
        }
        if (left > 0) {
            LOG.warn("{}: closed with {} undelivered items", name, left);
        }
        return left;
    }
}
