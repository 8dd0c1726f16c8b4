package io.tusk.rpc.spi;

import io.tusk.rpc.server.ProtocolEntry;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One hosted protocol as the registry resolved it: its name, version, interface and
 * implementation, plus a per-method cache the engine fills (protobuf: the method descriptor and
 * request prototype per method name; Writable: the resolved {@link java.lang.reflect.Method}).
 *
 * <p>Created by {@link io.tusk.rpc.server.ProtocolRegistry} when a protocol is added; replacing an
 * implementation creates a new binding, so the method cache never outlives the implementation it
 * was filled for. Thread-safe.
 */
public final class ProtocolBinding {
  /**
   * At most this many methods are cached per binding. Only successful resolutions are cached, so
   * the limit is reached only by a protocol with that many methods; past it, lookups still work,
   * uncached.
   */
  static final int MAX_CACHED_METHODS = 4096;

  private final ProtocolEntry entry;
  private final ConcurrentHashMap<Object, Object> methods = new ConcurrentHashMap<>();
  private final AtomicLong resolutions = new AtomicLong();

  /** A binding of {@code entry}; the registry calls this. */
  public ProtocolBinding(ProtocolEntry entry) {
    this.entry = Objects.requireNonNull(entry, "entry");
  }

  /** The protocol's wire name. */
  public String name() {
    return entry.name();
  }

  /** The protocol version this binding serves. */
  public long version() {
    return entry.version();
  }

  /** The interface the implementation was hosted for (may be null for raw registrations). */
  public Class<?> protocol() {
    return entry.protocolClass();
  }

  /** The object calls go to. */
  public Object implementation() {
    return entry.implementation();
  }

  /** The registry entry this binding was made from. */
  public ProtocolEntry entry() {
    return entry;
  }

  /**
   * The engine's cached resolution of {@code key} (a method name, or name plus parameter types):
   * {@code resolve} runs on the first lookup of a key and its non-null result is kept for later
   * calls; a null result (no such method) is returned and not kept, so unknown names sent by a
   * client cannot grow the cache.
   *
   * @param <K> the key type; it must have value equality
   * @param <V> what the engine resolves a key to; an engine uses one value type per binding
   */
  @SuppressWarnings("unchecked")
  public <K, V> V method(K key, Function<? super K, ? extends V> resolve) {
    Object cached = methods.get(key);
    if (cached != null) {
      return (V) cached;
    }
    resolutions.incrementAndGet();
    V resolved = resolve.apply(key);
    if (resolved != null && methods.size() < MAX_CACHED_METHODS) {
      Object raced = methods.putIfAbsent(key, resolved);
      if (raced != null) {
        return (V) raced;
      }
    }
    return resolved;
  }

  /** How many times {@link #method} had to resolve a key (for tests and diagnostics). */
  public long methodResolutions() {
    return resolutions.get();
  }

  @Override
  public String toString() {
    return "ProtocolBinding[" + entry.kind() + " " + entry.name() + " v" + entry.version() + "]";
  }
}
