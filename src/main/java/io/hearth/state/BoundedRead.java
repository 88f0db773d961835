package io.hearth.state;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A read of the state database for health and metrics that never holds its caller longer than a budget: one read at a
 * time runs on a background thread; a caller waits for it at most {@code budget} and otherwise gets the last value read
 * (or {@code fallback}). With the database down a read waits for the pool's connection timeout (Hikari: 30 s); before,
 * that held {@code /actuator/health} (the {@code directory} component's entry count, chaos run 7) and metric scrapes.
 */
public final class BoundedRead<T> {

    private static final Executor READERS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "state-bounded-read");
        t.setDaemon(true);
        return t;
    });

    private final Supplier<T> read;
    private final T fallback;
    private final AtomicReference<CompletableFuture<T>> inFlight = new AtomicReference<>();
    private volatile T last;

    public BoundedRead(Supplier<T> read, T fallback) {
        this.read = read;
        this.fallback = fallback;
    }

    /** A fresh value if one arrives within {@code budget}, else the last one read (or the fallback). */
    public T get(Duration budget) {
        CompletableFuture<T> current = start();
        try {
            return budget.isZero() ? current.getNow(lastOrFallback()) : current.get(budget.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return lastOrFallback();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return lastOrFallback();
        } catch (java.util.concurrent.ExecutionException e) {
            return lastOrFallback();
        }
    }

    private T lastOrFallback() {
        T value = last;
        return value == null ? fallback : value;
    }

    private CompletableFuture<T> start() {
        while (true) {
            CompletableFuture<T> current = inFlight.get();
            if (current != null && !current.isDone()) {
                return current;
            }
            CompletableFuture<T> next = new CompletableFuture<>();
            if (inFlight.compareAndSet(current, next)) {
                READERS.execute(() -> {
                    try {
                        T value = read.get();
                        last = value;
                        next.complete(value);
                    } catch (RuntimeException e) {
                        next.completeExceptionally(e);
                    }
                });
                return next;
            }
        }
    }
}
