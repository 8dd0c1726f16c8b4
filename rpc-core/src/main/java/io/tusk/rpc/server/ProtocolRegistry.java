package io.tusk.rpc.server;

import io.tusk.rpc.RpcKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The protocols one server hosts, per engine kind, keyed by (protocol name, version). Engines'
 * invokers look implementations up here; the protocol meta-info service lists it. Thread-safe;
 * owned by one {@link Server}.
 */
public final class ProtocolRegistry {
  private record Key(RpcKind kind, String name, long version) {}

  private final Map<Key, ProtocolEntry> entries = new ConcurrentHashMap<>();

  /**
   * Hosts {@code implementation} for (kind, name, version). Registering the same key again replaces
   * the implementation, as Hadoop does.
   */
  public void add(RpcKind kind, String name, long version, Class<?> protocolClass,
      Object implementation) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(implementation, "implementation");
    entries.put(new Key(kind, name, version),
        new ProtocolEntry(kind, name, version, protocolClass, implementation));
  }

  /** The entry for exactly (kind, name, version), if hosted. */
  public Optional<ProtocolEntry> get(RpcKind kind, String name, long version) {
    return Optional.ofNullable(entries.get(new Key(kind, name, version)));
  }

  /** Every version of {@code name} hosted for {@code kind}, highest first. */
  public List<ProtocolEntry> versions(RpcKind kind, String name) {
    List<ProtocolEntry> found = new ArrayList<>();
    for (ProtocolEntry e : entries.values()) {
      if (e.kind() == kind && e.name().equals(name)) {
        found.add(e);
      }
    }
    found.sort(Comparator.comparingLong(ProtocolEntry::version).reversed());
    return found;
  }

  /** The highest version of {@code name} hosted for {@code kind}. */
  public Optional<ProtocolEntry> highest(RpcKind kind, String name) {
    List<ProtocolEntry> all = versions(kind, name);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  /** A snapshot of every hosted protocol, ordered by kind, name and version. */
  public List<ProtocolEntry> all() {
    List<ProtocolEntry> list = new ArrayList<>(entries.values());
    list.sort(Comparator.comparing(ProtocolEntry::kind).thenComparing(ProtocolEntry::name)
        .thenComparingLong(ProtocolEntry::version));
    return list;
  }
}
