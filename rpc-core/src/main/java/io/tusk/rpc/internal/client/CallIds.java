package io.tusk.rpc.internal.client;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands out call ids for one client: 0, 1, 2, ... {@link Integer#MAX_VALUE}, then 0 again. Ids are
 * never negative, because Hadoop reserves negative ids for the connection context, pings and SASL.
 *
 * <p>Thread-safe and lock-free: every caller thread takes ids from the same counter.
 */
final class CallIds {
  private final AtomicInteger next;

  CallIds() {
    this(0);
  }

  /** Starts at {@code first}; tests use it to get close to the wrap. */
  CallIds(int first) {
    next = new AtomicInteger(first);
  }

  /** The next id. After {@code Integer.MAX_VALUE} the counter overflows and the mask makes it 0. */
  int next() {
    return next.getAndIncrement() & Integer.MAX_VALUE;
  }
}
