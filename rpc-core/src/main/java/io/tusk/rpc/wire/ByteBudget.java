package io.tusk.rpc.wire;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A server-wide cap on the bytes held by received request frames, complete or not.
 *
 * <p>Readers charge the budget as a frame's buffer grows with the bytes that actually arrived and
 * the handler releases the charge when the call is done. The charge is taken even when it goes over
 * the limit (the bytes are already in memory); the reader then stops reading from that connection
 * until {@link #isExhausted()} turns false again. The overshoot is bounded by what one read can
 * return per reader thread, so no number of connections can push memory far past the limit.
 */
public final class ByteBudget {
  private final long limit;
  private final AtomicLong used = new AtomicLong();

  /** A budget of {@code limit} bytes; {@code limit} must be positive. */
  public ByteBudget(long limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("byte budget must be positive, got " + limit);
    }
    this.limit = limit;
  }

  /** Records {@code bytes} more in use. */
  public void charge(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative charge " + bytes);
    }
    used.addAndGet(bytes);
  }

  /** Records {@code bytes} no longer in use. */
  public void release(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative release " + bytes);
    }
    long now = used.addAndGet(-bytes);
    assert now >= 0 : "released more than charged: " + now;
  }

  /** True when the bytes in use have reached the limit: readers must pause. */
  public boolean isExhausted() {
    return used.get() >= limit;
  }

  /** Bytes currently in use. */
  public long used() {
    return used.get();
  }

  /** The configured limit. */
  public long limit() {
    return limit;
  }
}
