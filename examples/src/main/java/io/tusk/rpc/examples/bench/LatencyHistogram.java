package io.tusk.rpc.examples.bench;

/**
 * A log-linear histogram of non-negative values (latencies in nanoseconds): exact below
 * {@code 2 * 64}, above that every power of two is split into 64 equal buckets, so a reported
 * percentile is at most about 1.6% above the true value. Fixed size (a few thousand counters), no
 * allocation when recording.
 *
 * <pre>
 *   value v        bucket
 *   0 .. 127       v                                       (exact)
 *   2^h .. 2^(h+1)-1, h >= 7
 *                  (h - 5) * 64 + (v >>> (h - 6)) - 64      (64 buckets per power of two)
 * </pre>
 *
 * <p>Not thread-safe: each load-generator thread records into its own histogram, and the results
 * are {@link #add merged} after those threads have ended.
 */
public final class LatencyHistogram {
  private static final int SUB_BITS = 6;
  private static final int SUB = 1 << SUB_BITS;
  /** Highest bit of a positive long is 62; buckets up to (62 - SUB_BITS + 2) * SUB. */
  private static final int BUCKETS = (62 - SUB_BITS + 2) * SUB;

  private final long[] counts = new long[BUCKETS];
  private long count;
  private long sum;
  private long min = Long.MAX_VALUE;
  private long max;

  /** Records one value; negative values count as 0. */
  public void record(long value) {
    long v = Math.max(0, value);
    counts[bucket(v)]++;
    count++;
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }

  /** Adds every value recorded in {@code other} to this histogram. */
  public void add(LatencyHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    count += other.count;
    sum += other.sum;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
  }

  /** Values recorded. */
  public long count() {
    return count;
  }

  /** The smallest value recorded, 0 when empty. */
  public long min() {
    return count == 0 ? 0 : min;
  }

  /** The largest value recorded, 0 when empty. */
  public long max() {
    return max;
  }

  /** The mean of the values recorded, 0 when empty. */
  public double mean() {
    return count == 0 ? 0 : (double) sum / count;
  }

  /**
   * The value below or at which {@code percentile} percent of the recorded values lie: the
   * highest value of the bucket holding the value of that rank, never above {@link #max()}.
   * 0 when empty.
   *
   * @param percentile in {@code (0, 100]}, e.g. {@code 99.9}
   */
  public long percentile(double percentile) {
    if (!(percentile > 0 && percentile <= 100)) {
      throw new IllegalArgumentException("percentile must be in (0, 100], not " + percentile);
    }
    if (count == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(percentile * count / 100));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(highestInBucket(i), max);
      }
    }
    return max;
  }

  static int bucket(long v) {
    if (v < 2 * SUB) {
      return (int) v;
    }
    int h = 63 - Long.numberOfLeadingZeros(v);
    int shift = h - SUB_BITS;
    return (shift + 1) * SUB + (int) (v >>> shift) - SUB;
  }

  static long highestInBucket(int bucket) {
    if (bucket < 2 * SUB) {
      return bucket;
    }
    int shift = bucket / SUB - 1;
    long top = SUB + bucket % SUB;
    return ((top + 1) << shift) - 1;
  }
}
