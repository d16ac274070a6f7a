package org.biotwin.connector.mqtt.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers items to one consumer from a thread of its own through a queue bounded in items. {@link #enqueue} returns
 * as soon as the items are queued; when the queue is full it waits (back-pressure, counted once per wait) and never
 * drops. The dispatcher thread coalesces queued items into lists of at most {@code maxBatch} and preserves order.
 * <p>
 * Thread-safe; {@link #enqueue} is meant to be called by one ingest thread.
 */
final class Dispatcher<T> {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private record Entry<T>(List<T> items, int permits) {
    }

    private final String name;
    private final int capacity;
    private final int maxBatch;
    private final Consumer<List<T>> target;
    private final Semaphore space;
    private final LinkedBlockingQueue<Entry<T>> queue = new LinkedBlockingQueue<>();
    private final LongAdder backPressure;
    private final LongAdder errors;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile boolean closed;

    Dispatcher(String name, int capacity, int maxBatch, Consumer<List<T>> target, LongAdder backPressure,
            LongAdder errors) {
        this.name = name;
        this.capacity = capacity;
        this.maxBatch = maxBatch;
        this.target = target;
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
        if (items.isEmpty()) {
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
        queue.add(new Entry<>(items, permits));
    }

    /**
     * Queues items only if there is room now.
     *
     * @return whether they were queued (false: full, nothing queued)
     * @throws IllegalStateException if the dispatcher is closed
     */
    boolean tryEnqueue(List<T> items) {
        if (items.isEmpty()) {
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
        queue.add(new Entry<>(items, permits));
        return true;
    }

    /** Items queued and not yet delivered. */
    int queued() {
        return capacity - space.availablePermits();
    }

    private void run() {
        List<Entry<T>> taken = new ArrayList<>();
        while (!closed) {
            try {
                Entry<T> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (stopping) {
                        break;
                    }
                    continue;
                }
                taken.clear();
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
                try {
                    target.accept(batch);
                } catch (RuntimeException e) {
                    errors.increment();
                    LOG.error("{}: consumer threw; its {} items count as delivered", name, batch.size(), e);
                } finally {
                    int permits = 0;
                    for (Entry<T> e : taken) {
                        permits += e.permits();
                    }
                    space.release(permits);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
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
        int left = 0;
        for (Entry<T> e : queue) {
            left += e.items().size();
        }
        if (left > 0) {
            LOG.warn("{}: closed with {} undelivered items", name, left);
        }
        return left;
    }
}
