package io.tusk.rpc.intercept;

import io.tusk.rpc.RpcPayload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hadoop's {@code RPC.Builder.setVerbose(true)}: logs every call and its return value at INFO on
 * the logger {@code io.tusk.rpc.RPC}, as Hadoop logs on its RPC class. The request is logged with
 * its {@code toString()} (the Writable engine's {@code Invocation} prints Hadoop's
 * {@code method(args), rpc version=...}), and so is the response payload (engines give theirs a
 * readable {@code toString()}). A failing call logs only its "Call:" line; the failure goes to the
 * client as usual.
 *
 * <p>The facade installs it for {@code setVerbose(true)}; any server may add it. Stateless and
 * shared: {@link #INSTANCE}.
 */
public final class VerboseLogging implements ServerInterceptor {
  /** The one instance; it holds no state. */
  public static final VerboseLogging INSTANCE = new VerboseLogging();

  private static final Logger LOG = LoggerFactory.getLogger("io.tusk.rpc.RPC");

  private VerboseLogging() {}

  @Override
  public RpcPayload intercept(ServerCall call, Chain next) throws Exception {
    LOG.info("Call: {}", call.request());
    RpcPayload response = next.proceed();
    LOG.info("Return: {}", response);
    return response;
  }
}
