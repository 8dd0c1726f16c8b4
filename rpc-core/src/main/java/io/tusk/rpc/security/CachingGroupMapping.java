package io.tusk.rpc.security;

import io.tusk.rpc.Ticker;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers another mapping's answers, so that a connection burst does not fork one {@code id}
 * per connection: a user's groups for {@code ttlNanos}, an empty answer (unknown user) for
 * {@code negativeTtlNanos}. A failed lookup is not cached. Two threads missing the same user at
 * once may both ask; the answers are the same, so no lock is held across the lookup.
 */
final class CachingGroupMapping implements GroupMapping {
  private record Entry(List<String> groups, long expiresNanos) {}

  private final GroupMapping delegate;
  private final Ticker ticker;
  private final long ttlNanos;
  private final long negativeTtlNanos;
  private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

  CachingGroupMapping(GroupMapping delegate, Ticker ticker, long ttlNanos, long negativeTtlNanos) {
    this.delegate = delegate;
    this.ticker = ticker;
    this.ttlNanos = ttlNanos;
    this.negativeTtlNanos = negativeTtlNanos;
  }

  @Override
  public List<String> groups(String user) throws IOException {
    long now = ticker.nanoTime();
    Entry entry = cache.get(user);
    if (entry != null && now - entry.expiresNanos < 0) {
      return entry.groups;
    }
    List<String> groups = List.copyOf(delegate.groups(user));
    long ttl = groups.isEmpty() ? negativeTtlNanos : ttlNanos;
    if (ttl > 0) {
      cache.put(user, new Entry(groups, now + ttl));
    } else {
      cache.remove(user);
    }
    return groups;
  }
}
