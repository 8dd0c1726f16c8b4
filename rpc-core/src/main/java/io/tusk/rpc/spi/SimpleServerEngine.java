package io.tusk.rpc.spi;

import io.tusk.rpc.RpcKind;
import java.util.Objects;

/** {@link ServerEngine#of}: the parts, with the default {@code host}. */
record SimpleServerEngine<R>(String id, RpcKind kind, RequestDecoder<R> decoder,
    RpcInvoker<R> invoker) implements ServerEngine<R> {
  SimpleServerEngine {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(decoder, "decoder");
    Objects.requireNonNull(invoker, "invoker");
  }
}
