package io.tusk.rpc;

import io.tusk.rpc.server.CallContext;
import io.tusk.rpc.server.ProtocolRegistry;
import io.tusk.rpc.spi.ProtocolBindings;
import io.tusk.rpc.spi.RequestDecoder;
import io.tusk.rpc.spi.RpcInvoker;
import io.tusk.rpc.spi.ServerEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hadoop's {@code RPC.Builder.setVerbose(true)}: logs every call and its return value at INFO,
 * around any engine's invoker. The request is logged with its {@code toString()} (the Writable
 * engine's {@code Invocation} prints Hadoop's {@code method(args), rpc version=...}) and so is the
 * response payload (engines give theirs a readable {@code toString()}).
 */
final class VerboseInvoker<R> implements RpcInvoker<R> {
  private static final Logger LOG = LoggerFactory.getLogger(RPC.class);

  private final RpcInvoker<R> delegate;

  private VerboseInvoker(RpcInvoker<R> delegate) {
    this.delegate = delegate;
  }

  /**
   * {@code engine} with its invoker wrapped; same id, so a later plain registration of the same
   * engine on the server is a no-op.
   */
  static <R> ServerEngine<R> wrap(ServerEngine<R> engine) {
    RpcInvoker<R> invoker = new VerboseInvoker<>(engine.invoker());
    return new ServerEngine<>() {
      @Override
      public String id() {
        return engine.id();
      }

      @Override
      public RpcKind kind() {
        return engine.kind();
      }

      @Override
      public RequestDecoder<R> decoder() {
        return engine.decoder();
      }

      @Override
      public RpcInvoker<R> invoker() {
        return invoker;
      }

      @Override
      public void host(ProtocolRegistry registry, Class<?> protocol, Object implementation) {
        engine.host(registry, protocol, implementation);
      }
    };
  }

  @Override
  public RpcPayload call(ProtocolBindings protocols, CallContext call, R request)
      throws Exception {
    LOG.info("Call: {}", request);
    RpcPayload response = delegate.call(protocols, call, request);
    LOG.info("Return: {}", response);
    return response;
  }
}
