package io.tusk.rpc.wire;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A server-wide cap on the bytes held by received request frames, complete or not.
 *
 * <p>Readers charge the budget as a frame's buffer grows with the bytes that actually arrived and
 * the handler releases the charge when the call is done. The charge is taken even when it goes over
 * the limit (the bytes are already in memory); while {@link #isExhausted()} is true the server's
 * readers stop reading connections, except that one connection at a time may finish a frame it
 * has started when partial frames hold the budget (otherwise nothing would ever free it). The
 * server's {@code BudgetGate} applies that rule; memory stays below about 1.5 times the limit plus
 * one maximum-size frame, however many connections there are.
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
