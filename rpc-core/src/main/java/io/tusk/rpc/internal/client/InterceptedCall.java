package io.tusk.rpc.internal.client;

import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.intercept.ClientCall;
import io.tusk.rpc.intercept.ClientInterceptor;
import io.tusk.rpc.proto.RpcHeaderProtos.RPCCallerContextProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RPCTraceInfoProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One call going through the client's interceptors: the {@link ClientCall} they see, the header
 * fields they set, and the chain steps that end in {@link ClientRuntime#start}. Made only when the
 * client has interceptors; a client without them starts its calls directly.
 *
 * <p>Threads: the calling thread, until the transport has taken the call; afterwards
 * {@link #sent()} is read by the same thread (a blocking call waiting on it).
 */
final class InterceptedCall implements ClientCall, HeaderFields {
  private final ClientRuntime runtime;
  private final RpcKind kind;
  private final RpcPayload request;
  private final ConnectionId remote;
  private final int retryCount;
  private final long startNanos;
  private final long timeoutNanos;
  private final boolean async;
  private RPCCallerContextProto callerContext;
  private RPCTraceInfoProto traceInfo;
  /** What the transport returned; null until the last step proceeded, or if it never did. */
  private PendingCall sent;

  InterceptedCall(ClientRuntime runtime, RpcKind kind, RpcPayload request, ConnectionId remote,
      int retryCount, long startNanos, long timeoutNanos, boolean async) {
    this.runtime = runtime;
    this.kind = kind;
    this.request = request;
    this.remote = remote;
    this.retryCount = retryCount;
    this.startNanos = startNanos;
    this.timeoutNanos = timeoutNanos;
    this.async = async;
  }

  /**
   * Runs {@code interceptors} (at least one), the first outermost, around the transport.
   *
   * @return the future the outermost interceptor returned
   * @throws IOException what an interceptor threw
   */
  CompletableFuture<ByteBuffer> run(ClientInterceptor[] interceptors) throws IOException {
    return checked(interceptors[0], interceptors[0].intercept(this, new Step(interceptors, 1)));
  }

  /** The call the transport registered, or null when no interceptor let it through (yet). */
  PendingCall sent() {
    return sent;
  }

  private static CompletableFuture<ByteBuffer> checked(ClientInterceptor interceptor,
      CompletableFuture<ByteBuffer> future) {
    if (future == null) {
      throw new IllegalStateException("client interceptor " + interceptor.getClass().getName()
          + " returned no future");
    }
    return future;
  }

  /** The interceptors after one, then the transport. */
  private final class Step implements ClientInterceptor.Chain {
    private final ClientInterceptor[] interceptors;
    private final int index;
    private boolean proceeded;

    Step(ClientInterceptor[] interceptors, int index) {
      this.interceptors = interceptors;
      this.index = index;
    }

    @Override
    public CompletableFuture<ByteBuffer> proceed() throws IOException {
      if (proceeded) {
        throw new IllegalStateException("client interceptor "
            + interceptors[index - 1].getClass().getName() + " proceeded twice");
      }
      proceeded = true;
      if (index < interceptors.length) {
        ClientInterceptor next = interceptors[index];
        return checked(next, next.intercept(InterceptedCall.this,
            new Step(interceptors, index + 1)));
      }
      try {
        sent = runtime.start(kind, request, remote, retryCount, startNanos, timeoutNanos, async,
            InterceptedCall.this);
        return sent;
      } catch (IOException e) {
        // as callAsync reports it: transport failures arrive through the future
        return CompletableFuture.failedFuture(e);
      }
    }
  }

  // ---------------------------------------------------------------- ClientCall

  @Override
  public RpcKind kind() {
    return kind;
  }

  @Override
  public ConnectionId connectionId() {
    return remote;
  }

  @Override
  public RpcPayload request() {
    return request;
  }

  @Override
  public int retryCount() {
    return retryCount;
  }

  @Override
  public boolean isAsync() {
    return async;
  }

  @Override
  public long startNanos() {
    return startNanos;
  }

  @Override
  public long timeoutNanos() {
    return timeoutNanos;
  }

  @Override
  public RPCCallerContextProto callerContext() {
    return callerContext;
  }

  @Override
  public void setCallerContext(RPCCallerContextProto callerContext) {
    this.callerContext = callerContext;
  }

  @Override
  public RPCTraceInfoProto traceInfo() {
    return traceInfo;
  }

  @Override
  public void setTraceInfo(RPCTraceInfoProto traceInfo) {
    this.traceInfo = traceInfo;
  }
}
