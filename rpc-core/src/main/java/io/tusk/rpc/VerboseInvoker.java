package io.tusk.rpc;

import io.tusk.rpc.server.CallContext;
import io.tusk.rpc.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hadoop's {@code RPC.Builder.setVerbose(true)}: logs every call and its return value at INFO,
 * around any engine's invoker. The request is logged with its {@code toString()} (the Writable
 * engine's {@code Invocation} prints Hadoop's {@code method(args), rpc version=...}) and so is the
 * response payload (engines give theirs a readable {@code toString()}).
 */
final class VerboseInvoker implements RpcInvoker {
  private static final Logger LOG = LoggerFactory.getLogger(RPC.class);

  private final RpcInvoker delegate;

  private VerboseInvoker(RpcInvoker delegate) {
    this.delegate = delegate;
  }

  /** {@code registration} with its invoker wrapped. */
  static EngineRegistration wrap(EngineRegistration registration) {
    return new EngineRegistration(registration.kind(), registration.decoder(),
        new VerboseInvoker(registration.invoker()));
  }

  @Override
  public RpcPayload call(Server server, CallContext call, Object request) throws Exception {
    LOG.info("Call: {}", request);
    RpcPayload response = delegate.call(server, call, request);
    LOG.info("Return: {}", response);
    return response;
  }
}
