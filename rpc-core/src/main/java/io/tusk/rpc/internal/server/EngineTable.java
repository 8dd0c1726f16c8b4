package io.tusk.rpc.internal.server;

import io.tusk.rpc.RpcKind;
import io.tusk.rpc.server.ProtocolRegistry;
import io.tusk.rpc.spi.ServerEngine;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The engines one server answers, at most one per {@link RpcKind}, identified by
 * {@link ServerEngine#id()}.
 *
 * <p>Written by whoever registers engines (any thread, usually before {@code start()}), read by
 * reader threads for every call; an atomic array keeps lookups lock-free.
 */
final class EngineTable {
  private final AtomicReferenceArray<EngineSlot> byKind =
      new AtomicReferenceArray<>(RpcKind.values().length);
  private final ProtocolRegistry protocols;

  EngineTable(ProtocolRegistry protocols) {
    this.protocols = protocols;
  }

  /**
   * Registers {@code engine}; an engine with the same id again is a no-op (the first one stays).
   *
   * @throws IllegalStateException when an engine with another id already holds the kind
   */
  void register(ServerEngine<?> engine) {
    RpcKind kind = engine.kind();
    String id = engine.id();
    if (kind == null || id == null) {
      throw new IllegalArgumentException("engine " + engine.getClass().getName()
          + " has no kind or no id");
    }
    EngineSlot slot = new EngineSlot(engine, protocols.bindings(kind));
    while (true) {
      EngineSlot current = byKind.get(kind.ordinal());
      if (current != null) {
        if (current.engine().id().equals(id)) {
          return;
        }
        throw new IllegalStateException("engine '" + current.engine().id()
            + "' is already registered for " + kind + "; cannot register engine '" + id
            + "' for the same kind (a server holds one engine per kind)");
      }
      if (byKind.compareAndSet(kind.ordinal(), null, slot)) {
        return;
      }
    }
  }

  /** The engine for {@code kind}, or {@code null} when none is registered. */
  EngineSlot get(RpcKind kind) {
    return byKind.get(kind.ordinal());
  }
}
