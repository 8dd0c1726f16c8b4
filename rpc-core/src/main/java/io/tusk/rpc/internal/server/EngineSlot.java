package io.tusk.rpc.internal.server;

import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.server.CallContext;
import io.tusk.rpc.spi.ProtocolBindings;
import io.tusk.rpc.spi.RequestDecoder;
import io.tusk.rpc.spi.ServerEngine;

/**
 * One registered engine as the dispatch path uses it: the engine, plus its kind's
 * {@link ProtocolBindings}, resolved once at registration so that a call neither looks the kind's
 * view up nor sees the server. Immutable.
 */
final class EngineSlot {
  private final ServerEngine<?> engine;
  private final ProtocolBindings protocols;

  EngineSlot(ServerEngine<?> engine, ProtocolBindings protocols) {
    this.engine = engine;
    this.protocols = protocols;
  }

  ServerEngine<?> engine() {
    return engine;
  }

  RpcKind kind() {
    return engine.kind();
  }

  RequestDecoder<?> decoder() {
    return engine.decoder();
  }

  /** Runs {@code request}, which this slot's {@link #decoder()} returned. */
  RpcPayload invoke(CallContext call, Object request) throws Exception {
    return invoke(engine, call, request);
  }

  @SuppressWarnings("unchecked")
  private <R> RpcPayload invoke(ServerEngine<R> typed, CallContext call, Object request)
      throws Exception {
    return typed.invoker().call(protocols, call, (R) request);
  }
}
