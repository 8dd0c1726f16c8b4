package io.tusk.rpc.internal.server;

import io.tusk.rpc.RemoteException;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.RpcServerException;
import io.tusk.rpc.intercept.ServerInterceptor;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcStatusProto;
import io.tusk.rpc.server.CallContext;
import io.tusk.rpc.wire.FrameEncoder;
import io.tusk.rpc.wire.HadoopNames;
import io.tusk.rpc.wire.RpcHeaders;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A handler thread: takes calls from the call queue, decodes each request with its engine's
 * decoder, runs the server's interceptors and the engine's invoker with the call set as
 * {@link CurrentCall}, and writes the response (directly when the connection's queue is empty).
 * It stamps the call's {@link io.tusk.rpc.intercept.CallTimings} as it goes and hands the call to
 * {@link io.tusk.rpc.server.RpcMetrics} when processing ends; the response's write time reaches
 * the metrics when its last byte is written ({@link Call#responseWritten()}).
 *
 * <p>Every call ends with an answer or a closed connection, whatever it throws, {@link Error}s
 * included: a request that does not decode gets FATAL (and its connection closes), a failing
 * invoker an ERROR answer, a response that cannot be encoded an ERROR answer, and a failure to
 * send closes the connection. The thread survives all of them; if it ends anyway, the server is
 * marked failed.
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
        } catch (Throwable t) {
          abandon(call, t);
        } finally {
          call.finish();
          Thread.interrupted(); // an interrupt aimed at one call must not leak into the next poll
        }
      }
    } catch (Throwable t) {
      runtime.roleFailed(Thread.currentThread().getName(), t);
    }
  }

  /** Last resort for a call whose handling threw: its connection closes, so the call ends. */
  private static void abandon(Call call, Throwable t) {
    try {
      LOG.error("closing {}: handling call #{} failed with {}", call.connection,
          call.context.callId(), t.toString(), t);
    } catch (Throwable ignored) {
      // logging itself failed (e.g. out of memory): closing matters more
    }
    call.connection.close();
  }

  private void handle(Call call) {
    Connection connection = call.connection;
    CallContext context = call.context;
    call.dequeued(runtime.ticker().nanoTime());
    if (connection.isClosed()) {
      LOG.debug("dropping call #{}: {} is closed", context.callId(), connection);
      return;
    }
    Object request = decode(call);
    if (request == null) {
      return;
    }
    RpcPayload payload = null;
    Throwable failure = null;
    call.started(request, runtime.ticker().nanoTime());
    CurrentCall.set(context);
    try {
      ServerInterceptor[] interceptors = runtime.interceptors();
      payload = interceptors.length == 0 ? invoke(call)
          : InterceptorChain.run(interceptors, call, this);
      if (payload == null) {
        failure = new IllegalStateException("an interceptor of the " + context.rpcKind()
            + " call returned no response");
      }
    } catch (Throwable t) {
      failure = unwrap(t);
    } finally {
      CurrentCall.clear();
    }
    call.ended(runtime.ticker().nanoTime());
    runtime.metrics().callHandled(call, failure != null);
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
        if (failure instanceof Error) {
          // Answered as an error like any other, but an Error is news for the operator.
          LOG.error("call #{} from {} failed with {}", context.callId(), connection,
              failure.toString(), failure);
        } else if (LOG.isDebugEnabled()) {
          LOG.debug("call #{} from {} failed: {}", context.callId(), connection,
              failure.toString());
        }
        frame = encoder.encode(header, null);
      }
      connection.send(frame, encoder, fatal, call); // a large rest takes the encoder's buffer
    } catch (Throwable t) {
      LOG.warn("closing {}: cannot send the response to call #{}: {}", connection,
          context.callId(), t.toString());
      connection.close();
    } finally {
      encoder.trim();
    }
  }

  /**
   * Runs the engine's decoder. When the request does not decode (whatever it throws, a
   * StackOverflowError from a hostile nesting included) the call gets FATAL
   * {@code FATAL_DESERIALIZING_REQUEST}, as Hadoop answers, and the connection closes after it.
   *
   * @return the request, or null when the call has been answered
   */
  private Object decode(Call call) {
    CallContext context = call.context;
    Throwable failure;
    try {
      Object request = call.engine.decoder().decode(call.body);
      if (request != null) {
        return request;
      }
      failure = new IOException("the " + context.rpcKind() + " decoder returned null");
    } catch (Throwable t) {
      failure = t;
    }
    String message = "IPC server unable to read call parameters: " + failure;
    try {
      ByteBuffer frame = encoder.encode(RpcHeaders.failure(context.callId(), call.clientId,
          context.retryCount(), RpcStatusProto.FATAL, HadoopNames.RPC_SERVER_EXCEPTION,
          message, RpcErrorCodeProto.FATAL_DESERIALIZING_REQUEST), null);
      call.connection.fatalFromHandler(frame, message + " ("
          + RpcErrorCodeProto.FATAL_DESERIALIZING_REQUEST + ")", failure);
    } catch (Throwable t) {
      call.connection.close();
    } finally {
      encoder.trim();
    }
    return null;
  }

  /** The end of every chain: the engine's invoker. Never returns null. */
  RpcPayload invoke(Call call) throws Exception {
    RpcPayload payload = call.engine.invoke(call.context, call.request());
    if (payload == null) {
      throw new IllegalStateException("the " + call.context.rpcKind()
          + " invoker returned no response");
    }
    return payload;
  }

  private RpcResponseHeaderProto failureHeader(Call call, Throwable failure) {
    CallContext context = call.context;
    String errorMsg = runtime.options().errorStackTraces() ? withStackTrace(failure)
        : failure.getMessage();
    if (failure instanceof RpcServerException rse) {
      return RpcHeaders.failure(context.callId(), call.clientId, context.retryCount(),
          rse.status(), RemoteException.wireName(rse.getClass()), errorMsg, rse.errorCode());
    }
    return RpcHeaders.failure(context.callId(), call.clientId, context.retryCount(),
        RpcStatusProto.ERROR, RemoteException.wireName(failure.getClass()), errorMsg,
        RpcErrorCodeProto.ERROR_APPLICATION);
  }

  /**
   * The {@code errorMsg} Hadoop's server sends for a failed call
   * ({@code populateResponseParamsOnError}): {@code printStackTrace} output
   * ({@code StringUtils.stringifyException}) without the leading {@code "<class name>: "}, so
   * the message comes first and the {@code "\tat ..."} lines and causes follow. The class name
   * stripped is the Java one, the one {@code printStackTrace} prints.
   */
  static String withStackTrace(Throwable failure) {
    StringWriter text = new StringWriter();
    try (PrintWriter out = new PrintWriter(text)) {
      failure.printStackTrace(out);
    }
    String trace = text.toString();
    String head = failure.getClass().getName() + ": ";
    return trace.startsWith(head) ? trace.substring(head.length()) : trace;
  }

  /**
   * The failure the client should see: reflection's and dynamic proxies' wrappers
   * ({@link InvocationTargetException}, {@link UndeclaredThrowableException}, which proxy-based
   * implementations such as AOP or retry proxies throw) are taken off, as Hadoop's server does.
   */
  static Throwable unwrap(Throwable t) {
    while ((t instanceof InvocationTargetException || t instanceof UndeclaredThrowableException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
