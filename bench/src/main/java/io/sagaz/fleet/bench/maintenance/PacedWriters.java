package io.sagaz.fleet.bench.maintenance;

import io.sagaz.fleet.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Writer threads doing what the fleet writes all day: one transaction inserting a saga_executions
 * row, a saga_audit_log row and a saga_outbox row. Either as fast as they can (to find capacity) or
 * paced at a fixed total rate. Latency is measured from the time an operation was due, not from when
 * it started, so an operation held up behind a lock also charges the ones queued behind it
 * (no coordinated omission).
 */
final class PacedWriters implements AutoCloseable {
  private static final String EXECUTION = "INSERT INTO saga_executions (saga_name, status) VALUES ('bench-writer', 'EXECUTING')";
  private static final String AUDIT = "INSERT INTO saga_audit_log (saga_id, saga_name, event) VALUES (gen_random_uuid(), 'bench-writer', 'STARTED')";
  private static final String OUTBOX = "INSERT INTO saga_outbox (aggregate_type, aggregate_id, event_type, topic, payload) "
      + "VALUES ('order', 'o-1', 'OrderPlaced', 'orders', '{\"total\": 10}')";

  private final List<Thread> threads = new ArrayList<>();
  private final List<long[]> samples = new ArrayList<>();
  // Published after the sample is written, so a reader that sees count n sees samples 0..n-1.
  private final AtomicIntegerArray counts;
  private final CountDownLatch started;
  private final double rate;
  // When each writer's next operation is due; behind schedule when in the past.
  private final AtomicLongArray nextDue;
  private volatile boolean running = true;

  /**
   * Starts {@code threads} writers; {@code totalRate} operations per second across them, or as fast as
   * possible when it is 0.
   */
  PacedWriters(TestDatabase db, int threadCount, double totalRate) throws InterruptedException {
    this.rate = totalRate;
    counts = new AtomicIntegerArray(threadCount);
    nextDue = new AtomicLongArray(threadCount);
    started = new CountDownLatch(threadCount);
    long intervalNanos = totalRate <= 0 ? 0 : (long) (1e9 * threadCount / totalRate);
    for (int i = 0; i < threadCount; i++) {
      long[] buffer = new long[2 << 20]; // 1M samples per writer
      samples.add(buffer);
      int index = i;
      Thread t = new Thread(() -> write(db, index, buffer, intervalNanos, index * intervalNanos / threadCount), "writer-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    started.await();
  }

  private void write(TestDatabase db, int index, long[] buffer, long intervalNanos, long offset) {
    try (Connection c = db.connect();
         PreparedStatement execution = c.prepareStatement(EXECUTION);
         PreparedStatement audit = c.prepareStatement(AUDIT);
         PreparedStatement outbox = c.prepareStatement(OUTBOX)) {
      c.setAutoCommit(false);
      started.countDown();
      long due = System.nanoTime() + offset;
      nextDue.set(index, due);
      int n = 0;
      while (running && 2 * n + 1 < buffer.length) {
        if (intervalNanos > 0) {
          long wait = due - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
        } else {
          due = System.nanoTime();
        }
        execution.executeUpdate();
        audit.executeUpdate();
        outbox.executeUpdate();
        c.commit();
        buffer[2 * n] = due;
        buffer[2 * n + 1] = System.nanoTime() - due;
        counts.set(index, ++n);
        due += intervalNanos;
        nextDue.set(index, due);
      }
    } catch (SQLException e) {
      if (running) {
        throw new IllegalStateException("writer " + index + " failed: " + e.getMessage(), e);
      }
    }
  }

  /** Latencies (ns) of the operations that were due within {@code [from, to)} (System.nanoTime). */
  long[] latencies(long from, long to) {
    long[] out = new long[64];
    int size = 0;
    for (int i = 0; i < threads.size(); i++) {
      long[] b = samples.get(i);
      int n = counts.get(i);
      for (int k = 0; k < n; k++) {
        if (b[2 * k] >= from && b[2 * k] < to) {
          if (size == out.length) {
            out = Arrays.copyOf(out, size * 2);
          }
          out[size++] = b[2 * k + 1];
        }
      }
    }
    return Arrays.copyOf(out, size);
  }

  /** The total rate asked for (operations per second), 0 when unpaced. */
  double rate() {
    return rate;
  }

  /**
   * Waits until no writer is more than {@code slackMillis} behind schedule (a backlog from earlier
   * DDL would otherwise leak into the next measurement); false if that did not happen in time.
   */
  boolean awaitCaughtUp(long slackMillis, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (true) {
      long now = System.nanoTime();
      boolean caughtUp = true;
      for (int i = 0; i < nextDue.length(); i++) {
        caughtUp &= nextDue.get(i) > now - slackMillis * 1_000_000L;
      }
      if (caughtUp) {
        return true;
      }
      if (now >= deadline) {
        return false;
      }
      Thread.sleep(10);
    }
  }


  /**
   * The longest time within {@code [from, to)} during which no writer completed an operation although
   * operations were due: how long the writers were stalled at once (ns).
   */
  long longestStall(long from, long to) {
    long[] done = new long[64];
    int size = 0;
    for (int i = 0; i < threads.size(); i++) {
      long[] b = samples.get(i);
      int n = counts.get(i);
      for (int k = 0; k < n; k++) {
        long completed = b[2 * k] + b[2 * k + 1];
        if (completed >= from && completed < to + 5_000_000_000L) {
          if (size == done.length) {
            done = Arrays.copyOf(done, size * 2);
          }
          done[size++] = completed;
        }
      }
    }
    done = Arrays.copyOf(done, size);
    Arrays.sort(done);
    long longest = 0;
    long previous = from;
    for (long d : done) {
      longest = Math.max(longest, d - previous);
      previous = d;
      if (d >= to) {
        break;
      }
    }
    return longest;
  }

  /** Operations completed so far. */
  long completed() {
    long sum = 0;
    for (int i = 0; i < counts.length(); i++) {
      sum += counts.get(i);
    }
    return sum;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join(10_000);
    }
  }
}
