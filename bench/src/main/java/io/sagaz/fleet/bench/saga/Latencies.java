package io.sagaz.fleet.bench.saga;

import java.util.Arrays;

/** Latency samples (nanoseconds) with percentiles; a growable array is enough for a ten-second run. */
final class Latencies {
  private long[] samples = new long[1 << 16];
  private int n;

  synchronized void add(long nanos) {
    if (n == samples.length) {
      samples = Arrays.copyOf(samples, n * 2);
    }
    samples[n++] = nanos;
  }

  synchronized int count() {
    return n;
  }

  /** The {@code p}-th percentile in milliseconds (p in 0..100). */
  synchronized double percentileMillis(double p) {
    if (n == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(samples, n);
    Arrays.sort(sorted);
    int i = (int) Math.min(n - 1, Math.max(0, Math.ceil(p / 100.0 * n) - 1));
    return sorted[i] / 1e6;
  }

  String summary() {
    return String.format("p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms (n=%d)",
        percentileMillis(50), percentileMillis(95), percentileMillis(99), percentileMillis(100), count());
  }
}
