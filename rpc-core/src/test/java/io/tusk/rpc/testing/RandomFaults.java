package io.tusk.rpc.testing;

import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link FaultInjectingProxy.Planner} that draws each connection's {@link FaultPlan} from a
 * seeded {@link Random}: with the given weights a connection is reset, truncated, silently
 * dropped (read and discarded, or no longer read, in one or both directions) or delayed, after a
 * random number of bytes (or at once); what is left of the weights passes through untouched.
 *
 * <p>A delayed connection is also reset after a second random number of bytes (up to a quarter
 * of the trigger range) in the other direction, so that no connection stays slow for long.
 *
 * <p>The seed is logged when the planner is built; set the system property {@value #SEED_PROPERTY}
 * to replay a run with it (the plans repeat in the same order; timing on a busy machine does not).
 * Thread-safe, though the proxy calls it from its acceptor only.
 */
public final class RandomFaults implements FaultInjectingProxy.Planner {
  private static final Logger LOG = LoggerFactory.getLogger(RandomFaults.class);

  /** The system property that fixes the seed of {@link Builder#seedFromPropertyOrClock()}. */
  public static final String SEED_PROPERTY = "tusk.faults.seed";

  private final long seed;
  private final Random random;
  private final double reset;
  private final double truncate;
  private final double discard;
  private final double stall;
  private final double delay;
  private final long maxDelayMillis;
  private final long maxTriggerBytes;
  private final double atOnce;

  private RandomFaults(Builder b) {
    double sum = b.reset + b.truncate + b.discard + b.stall + b.delay;
    if (sum > 1.0 + 1e-9) {
      throw new IllegalArgumentException("fault weights add up to " + sum + " > 1");
    }
    this.seed = b.seed;
    this.random = new Random(b.seed);
    this.reset = b.reset;
    this.truncate = b.truncate;
    this.discard = b.discard;
    this.stall = b.stall;
    this.delay = b.delay;
    this.maxDelayMillis = b.maxDelayMillis;
    this.maxTriggerBytes = b.maxTriggerBytes;
    this.atOnce = b.atOnce;
    LOG.info("Random faults with seed {} (replay with -D{}={}): {}", seed, SEED_PROPERTY, seed,
        this);
  }

  /** A builder with every weight 0 (everything passes) and the seed from the clock. */
  public static Builder builder() {
    return new Builder();
  }

  /** The seed; put it in failure messages so a failing run can be replayed. */
  public long seed() {
    return seed;
  }

  @Override
  public synchronized FaultPlan plan(int index) {
    double u = random.nextDouble();
    long after = trigger();
    if ((u -= reset) < 0) {
      return oneWay(Fault.resetAfter(after));
    }
    if ((u -= truncate) < 0) {
      return oneWay(Fault.truncateAfter(after));
    }
    if ((u -= discard) < 0) {
      return oneOrBothWays(Fault.discardAfter(after));
    }
    if ((u -= stall) < 0) {
      return oneOrBothWays(Fault.stallAfter(after));
    }
    if ((u -= delay) < 0) {
      Fault slow = Fault.delayAfter(after, 1 + (long) (random.nextDouble() * maxDelayMillis));
      Fault end = Fault.resetAfter(1 + (long) (random.nextDouble() * maxTriggerBytes / 4));
      return random.nextBoolean() ? new FaultPlan(slow, end) : new FaultPlan(end, slow);
    }
    return FaultPlan.pass();
  }

  private long trigger() {
    return random.nextDouble() < atOnce ? 0 : 1 + (long) (random.nextDouble() * maxTriggerBytes);
  }

  private FaultPlan oneWay(Fault fault) {
    return random.nextBoolean() ? FaultPlan.requests(fault) : FaultPlan.responses(fault);
  }

  private FaultPlan oneOrBothWays(Fault fault) {
    return switch (random.nextInt(3)) {
      case 0 -> FaultPlan.requests(fault);
      case 1 -> FaultPlan.responses(fault);
      default -> FaultPlan.both(fault);
    };
  }

  @Override
  public String toString() {
    return "RandomFaults[seed=" + seed + ", reset=" + reset + ", truncate=" + truncate
        + ", discard=" + discard + ", stall=" + stall + ", delay=" + delay + " (up to "
        + maxDelayMillis + " ms), after up to " + maxTriggerBytes + " B, at once " + atOnce + "]";
  }

  /**
   * Settings of a {@link RandomFaults}. Weights are per connection and add up to at most 1; the
   * rest passes through.
   */
  public static final class Builder {
    private long seed = System.nanoTime();
    private double reset;
    private double truncate;
    private double discard;
    private double stall;
    private double delay;
    private long maxDelayMillis = 1;
    private long maxTriggerBytes = 64 * 1024;
    private double atOnce;

    private Builder() {}

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The seed from {@value #SEED_PROPERTY} when it is set, else from the clock. */
    public Builder seedFromPropertyOrClock() {
      String value = System.getProperty(SEED_PROPERTY);
      this.seed = value == null || value.isBlank() ? System.nanoTime() : Long.parseLong(value.trim());
      return this;
    }

    /** Weight of a reset (RST to both peers). */
    public Builder reset(double weight) {
      this.reset = weight(weight);
      return this;
    }

    /** Weight of a truncation (normal close of both sockets). */
    public Builder truncate(double weight) {
      this.truncate = weight(weight);
      return this;
    }

    /** Weight of a silent drop that reads and discards. */
    public Builder discard(double weight) {
      this.discard = weight(weight);
      return this;
    }

    /** Weight of a silent drop that stops reading. */
    public Builder stall(double weight) {
      this.stall = weight(weight);
      return this;
    }

    /** Weight of a delay of 1 to {@code maxMillis} ms per chunk. */
    public Builder delay(double weight, long maxMillis) {
      if (maxMillis < 1) {
        throw new IllegalArgumentException("maxMillis must be >= 1, got " + maxMillis);
      }
      this.delay = weight(weight);
      this.maxDelayMillis = maxMillis;
      return this;
    }

    /** Faults start after 1 to {@code bytes} bytes (uniformly), unless at once. */
    public Builder maxTriggerBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxTriggerBytes must be >= 1, got " + bytes);
      }
      this.maxTriggerBytes = bytes;
      return this;
    }

    /** Probability that a fault starts at once, before any byte passes. */
    public Builder atOnce(double probability) {
      this.atOnce = weight(probability);
      return this;
    }

    private static double weight(double w) {
      if (!(w >= 0 && w <= 1)) {
        throw new IllegalArgumentException("weight must be in [0, 1], got " + w);
      }
      return w;
    }

    public RandomFaults build() {
      return new RandomFaults(this);
    }
  }
}
