package io.tusk.rpc.server;

import io.tusk.rpc.RpcKind;
import io.tusk.rpc.spi.ProtocolBinding;
import io.tusk.rpc.spi.ProtocolBindings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The protocols one server hosts, per engine kind, keyed by (protocol name, version). Engines host
 * implementations here ({@link io.tusk.rpc.spi.ServerEngine#host}); their invokers read the
 * per-kind view {@link #bindings(RpcKind)}; the protocol meta-info service lists it. Thread-safe;
 * owned by one {@link Server}.
 *
 * <p>Each kind's view is an immutable snapshot (name → bindings, highest version first), replaced
 * under this registry's lock whenever a protocol is added. A call therefore costs one map read and
 * no allocation, and a protocol added (or replaced) while the server runs is seen by every call
 * dispatched after the {@link #add} returned. Only the binding of the (name, version) that changed
 * is rebuilt: the others keep their method caches.
 */
public final class ProtocolRegistry {
  private record Key(RpcKind kind, String name, long version) {}

  private static final ProtocolBinding[] NONE = new ProtocolBinding[0];

  private final Map<Key, ProtocolEntry> entries = new ConcurrentHashMap<>();
  private final Map<RpcKind, View> views = new EnumMap<>(RpcKind.class);
  private final AtomicLong bindingsBuilt = new AtomicLong();

  public ProtocolRegistry() {
    for (RpcKind kind : RpcKind.values()) {
      views.put(kind, new View(kind));
    }
  }

  /**
   * Hosts {@code implementation} for (kind, name, version). Registering the same key again replaces
   * the implementation, as Hadoop does. Engines call this from their
   * {@link io.tusk.rpc.spi.ServerEngine#host host}, after checking the implementation.
   */
  public void add(RpcKind kind, String name, long version, Class<?> protocolClass,
      Object implementation) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(implementation, "implementation");
    ProtocolEntry entry = new ProtocolEntry(kind, name, version, protocolClass, implementation);
    synchronized (this) {
      entries.put(new Key(kind, name, version), entry);
      views.get(kind).rebind(entry);
    }
  }

  /** The view of {@code kind}'s protocols that its engine's invoker gets with every call. */
  public ProtocolBindings bindings(RpcKind kind) {
    return views.get(Objects.requireNonNull(kind, "kind"));
  }

  /** How many bindings were built since this registry was created: one per {@link #add}. */
  long bindingsBuilt() {
    return bindingsBuilt.get();
  }

  /** The entry for exactly (kind, name, version), if hosted. */
  public Optional<ProtocolEntry> get(RpcKind kind, String name, long version) {
    return Optional.ofNullable(entries.get(new Key(kind, name, version)));
  }

  /** Every version of {@code name} hosted for {@code kind}, highest first. */
  public List<ProtocolEntry> versions(RpcKind kind, String name) {
    List<ProtocolEntry> found = new ArrayList<>();
    for (ProtocolBinding binding : views.get(kind).versionsOf(name)) {
      found.add(binding.entry());
    }
    return found;
  }

  /** The highest version of {@code name} hosted for {@code kind}. */
  public Optional<ProtocolEntry> highest(RpcKind kind, String name) {
    ProtocolBinding binding = views.get(kind).highest(name);
    return binding == null ? Optional.empty() : Optional.of(binding.entry());
  }

  /** A snapshot of every hosted protocol, ordered by kind, name and version. */
  public List<ProtocolEntry> all() {
    List<ProtocolEntry> list = new ArrayList<>(entries.values());
    list.sort(Comparator.comparing(ProtocolEntry::kind).thenComparing(ProtocolEntry::name)
        .thenComparingLong(ProtocolEntry::version));
    return list;
  }

  /** One kind's bindings; written under the registry's lock, read lock-free. */
  private final class View implements ProtocolBindings {
    private final RpcKind kind;
    /** Immutable snapshot: name → its bindings, highest version first. */
    private volatile Map<String, ProtocolBinding[]> byName = Map.of();

    View(RpcKind kind) {
      this.kind = kind;
    }

    /** Replaces (or adds) the binding of {@code entry}'s (name, version). Registry lock held. */
    void rebind(ProtocolEntry entry) {
      ProtocolBinding fresh = new ProtocolBinding(entry);
      bindingsBuilt.incrementAndGet();
      List<ProtocolBinding> versions = new ArrayList<>();
      versions.add(fresh);
      for (ProtocolBinding old : versionsOf(entry.name())) {
        if (old.version() != entry.version()) {
          versions.add(old);
        }
      }
      versions.sort(Comparator.comparingLong(ProtocolBinding::version).reversed());
      Map<String, ProtocolBinding[]> next = new HashMap<>(byName);
      next.put(entry.name(), versions.toArray(NONE));
      byName = Map.copyOf(next);
    }

    ProtocolBinding[] versionsOf(String name) {
      ProtocolBinding[] versions = byName.get(name);
      return versions == null ? NONE : versions;
    }

    @Override
    public RpcKind kind() {
      return kind;
    }

    @Override
    public ProtocolBinding get(String name, long version) {
      if (name == null) {
        return null;
      }
      for (ProtocolBinding binding : versionsOf(name)) {
        if (binding.version() == version) {
          return binding;
        }
      }
      return null;
    }

    @Override
    public ProtocolBinding highest(String name) {
      if (name == null) {
        return null;
      }
      ProtocolBinding[] versions = versionsOf(name);
      return versions.length == 0 ? null : versions[0];
    }

    @Override
    public String toString() {
      return "ProtocolBindings[" + kind + ", " + byName.keySet() + "]";
    }
  }
}
