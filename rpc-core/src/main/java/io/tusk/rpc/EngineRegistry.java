package io.tusk.rpc;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * The engines listed in {@code META-INF/services/io.tusk.rpc.RpcEngine}, found once: the facade
 * asks this for the default engine of a kind and for the built-in protocols every facade server
 * hosts, instead of scanning the class path again for every {@code getProxy} and {@code build()}.
 *
 * <p>Immutable and thread-safe. One engine per kind: when two listed engines claim the same kind,
 * the first one found wins (and the second is ignored), as the scan did before.
 */
final class EngineRegistry {
  private final Map<RpcKind, RpcEngine> byKind;
  private final List<RpcEngine> all;

  private EngineRegistry(List<RpcEngine> engines) {
    Map<RpcKind, RpcEngine> kinds = new EnumMap<>(RpcKind.class);
    for (RpcEngine engine : engines) {
      kinds.putIfAbsent(engine.rpcKind(), engine);
    }
    this.byKind = kinds;
    this.all = List.copyOf(engines);
  }

  /**
   * Scans {@code loader}'s service files once.
   *
   * @param instance maps the class of each engine found to the one shared instance of it
   */
  static EngineRegistry load(ClassLoader loader, Function<Class<?>, RpcEngine> instance) {
    List<RpcEngine> engines = new ArrayList<>();
    for (RpcEngine found : ServiceLoader.load(RpcEngine.class, loader)) {
      engines.add(instance.apply(found.getClass()));
    }
    return new EngineRegistry(engines);
  }

  /** The engine of {@code kind}, or null when none is listed. */
  RpcEngine forKind(RpcKind kind) {
    return byKind.get(kind);
  }

  /** Every listed engine, in the order found. */
  List<RpcEngine> all() {
    return all;
  }
}
