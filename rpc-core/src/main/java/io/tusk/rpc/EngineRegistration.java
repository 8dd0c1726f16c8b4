package io.tusk.rpc;

import java.util.Objects;

/**
 * What an engine registers on a server: for one {@link RpcKind}, how to decode requests and how to
 * run them. A server holds at most one registration per kind.
 *
 * @param kind the wire kind this engine answers
 * @param decoder turns request bytes into the engine's request object (on the handler thread)
 * @param invoker runs a decoded request (on a handler thread)
 */
public record EngineRegistration(RpcKind kind, RequestDecoder decoder, RpcInvoker invoker) {
  public EngineRegistration {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(decoder, "decoder");
    Objects.requireNonNull(invoker, "invoker");
  }

  /**
   * True when {@code other} is the same engine: same kind and the same decoder and invoker
   * classes. Registering the same engine twice is a no-op; a different one for a taken kind is an
   * error.
   */
  public boolean sameEngineAs(EngineRegistration other) {
    return kind == other.kind
        && decoder.getClass() == other.decoder.getClass()
        && invoker.getClass() == other.invoker.getClass();
  }
}
