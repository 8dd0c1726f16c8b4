package io.tusk.rpc.internal.server;

import io.tusk.rpc.EngineRegistration;
import io.tusk.rpc.RpcKind;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The engines one server answers, at most one per {@link RpcKind}.
 *
 * <p>Written by whoever registers engines (any thread, usually before {@code start()}), read by
 * reader threads for every call; an atomic array keeps lookups lock-free.
 */
final class EngineTable {
  private final AtomicReferenceArray<EngineRegistration> byKind =
      new AtomicReferenceArray<>(RpcKind.values().length);

  /**
   * Registers {@code registration}; the same engine again is a no-op.
   *
   * @throws IllegalStateException when a different engine already holds the kind
   */
  void register(EngineRegistration registration) {
    int slot = registration.kind().ordinal();
    while (true) {
      EngineRegistration current = byKind.get(slot);
      if (current != null) {
        if (current.sameEngineAs(registration)) {
          return;
        }
        throw new IllegalStateException("an engine is already registered for "
            + registration.kind() + " (decoder " + current.decoder().getClass().getName()
            + ", invoker " + current.invoker().getClass().getName() + "); cannot register decoder "
            + registration.decoder().getClass().getName() + ", invoker "
            + registration.invoker().getClass().getName() + " for the same kind");
      }
      if (byKind.compareAndSet(slot, null, registration)) {
        return;
      }
    }
  }

  /** The engine for {@code kind}, or {@code null} when none is registered. */
  EngineRegistration get(RpcKind kind) {
    return byKind.get(kind.ordinal());
  }
}
