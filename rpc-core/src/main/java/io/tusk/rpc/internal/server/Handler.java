package io.tusk.rpc.internal.server;

import io.tusk.rpc.NamedRequest;
import io.tusk.rpc.RemoteException;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.RpcServerException;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcStatusProto;
import io.tusk.rpc.server.CallContext;
import io.tusk.rpc.wire.FrameEncoder;
import io.tusk.rpc.wire.RpcHeaders;
import java.lang.reflect.InvocationTargetException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A handler thread: takes calls from the call queue, runs the engine's invoker with the call set as
 * {@link CurrentCall}, and writes the response (directly when the connection's queue is empty).
 *
 * <p>Threads: its {@link FrameEncoder} and the call it runs belong to this thread. It ends when the
 * server stops and the queue is drained, or when interrupted by {@code shutdownNow()}.
 */
final class Handler implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Handler.class);
  private static final long POLL_MILLIS = 50;

  private final ServerRuntime runtime;
  private final FrameEncoder encoder = new FrameEncoder();

  Handler(ServerRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public void run() {
    try {
      while (true) {
        Call call;
        try {
          call = runtime.pollCall(POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          if (runtime.isStoppingNow()) {
            break;
          }
          continue;
        }
        if (call == null) {
          if (runtime.handlersMayExit()) {
            break;
          }
          continue;
        }
        try {
          handle(call);
        } finally {
          call.finish();
          Thread.interrupted(); // an interrupt aimed at one call must not leak into the next poll
        }
      }
    } catch (Throwable t) {
      LOG.error("{} failed", Thread.currentThread().getName(), t);
    }
  }

  private void handle(Call call) {
    Connection connection = call.connection;
    CallContext context = call.context;
    if (connection.isClosed()) {
      LOG.debug("dropping call #{}: {} is closed", context.callId(), connection);
      return;
    }
    RpcPayload payload = null;
    Throwable failure = null;
    long started = System.nanoTime();
    CurrentCall.set(context);
    try {
      payload = call.engine.invoker().call(runtime.server(), context, call.request);
      if (payload == null) {
        failure = new IllegalStateException("the " + context.rpcKind()
            + " invoker returned no response");
      }
    } catch (Throwable t) {
      failure = unwrap(t);
    } finally {
      CurrentCall.clear();
    }
    runtime.metrics().record(methodName(call), started - context.receivedNanos(),
        System.nanoTime() - started, failure != null, context);
    if (runtime.isStoppingNow()) {
      // shutdownNow() interrupted the call: its outcome (often an InterruptedException) is not an
      // answer. The connection is being closed, which fails the call on the client side.
      LOG.debug("dropping the response to call #{} from {}: server stopping now",
          context.callId(), connection);
      return;
    }
    try {
      ByteBuffer frame = null;
      boolean fatal = false;
      if (failure == null) {
        try {
          frame = encoder.encode(RpcHeaders.success(context.callId(), call.clientId,
              context.retryCount()), payload);
        } catch (Throwable t) {
          LOG.debug("call #{} from {}: response not serializable", context.callId(), connection,
              t);
          frame = encoder.encode(RpcHeaders.failure(context.callId(), call.clientId,
              context.retryCount(), RpcStatusProto.ERROR, RemoteException.wireName(t.getClass()),
              "Error serializing response: " + t, RpcErrorCodeProto.ERROR_SERIALIZING_RESPONSE),
              null);
        }
      } else {
        RpcResponseHeaderProto header = failureHeader(call, failure);
        fatal = header.getStatus() == RpcStatusProto.FATAL;
        LOG.debug("call #{} from {} failed: {}", context.callId(), connection, failure.toString());
        frame = encoder.encode(header, null);
      }
      connection.send(frame, fatal);
    } catch (Exception e) {
      LOG.warn("closing {}: cannot encode the response to call #{}: {}", connection,
          context.callId(), e.toString());
      connection.close();
    } finally {
      encoder.trim();
    }
  }

  private static String methodName(Call call) {
    return call.request instanceof NamedRequest named ? named.methodName()
        : call.context.rpcKind().name();
  }

  private static RpcResponseHeaderProto failureHeader(Call call, Throwable failure) {
    CallContext context = call.context;
    if (failure instanceof RpcServerException rse) {
      return RpcHeaders.failure(context.callId(), call.clientId, context.retryCount(),
          rse.status(), RemoteException.wireName(rse.getClass()), rse.getMessage(),
          rse.errorCode());
    }
    return RpcHeaders.failure(context.callId(), call.clientId, context.retryCount(),
        RpcStatusProto.ERROR, RemoteException.wireName(failure.getClass()), failure.getMessage(),
        RpcErrorCodeProto.ERROR_APPLICATION);
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof InvocationTargetException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
