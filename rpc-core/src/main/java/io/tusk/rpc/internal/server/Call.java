package io.tusk.rpc.internal.server;

import com.google.protobuf.ByteString;
import io.tusk.rpc.NamedRequest;
import io.tusk.rpc.intercept.CallTimings;
import io.tusk.rpc.intercept.ServerCall;
import io.tusk.rpc.server.CallContext;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request waiting in the call queue or running on a handler: its RPC header is parsed, its
 * engine bytes ({@link #body}) are not. The handler that takes it runs the engine's decoder, so no
 * engine code (user {@code readFields} included) ever runs on a reader thread.
 *
 * <p>Created by a reader thread, then owned by whichever thread takes it from the queue (a handler,
 * or the shutdown path that drops it). {@link #finish()} returns the frame's bytes to the request
 * budget and tells the connection the call is no longer in flight; it runs exactly once.
 *
 * <p>It is also the call's {@link ServerCall} for interceptors and its {@link CallTimings} record
 * (plain fields, set by the thread that owns the call at each step), so a call costs no extra
 * objects for either. When its response's last byte is written, the writing thread calls
 * {@link #responseWritten()}, which stamps the time and hands the call to the metrics.
 */
final class Call implements ServerCall, CallTimings, ResponseQueue.WriteListener {
  final Connection connection;
  final CallContext context;
  final ByteString clientId;
  final EngineSlot engine;
  /** The bytes after the RPC header, for the engine's decoder. */
  final ByteBuffer body;
  private final int chargedBytes;
  private final AtomicBoolean finished = new AtomicBoolean();

  // ---- set by the handler running the call (before the response is handed to the queue) ----
  private Object request;
  private String methodName;
  private long dequeuedNanos;
  private long handlerStartNanos;
  private long handlerEndNanos;
  /** Set by the thread that writes the response's last byte. */
  private volatile long responseWrittenNanos;

  Call(Connection connection, CallContext context, ByteString clientId, EngineSlot engine,
      ByteBuffer body, int chargedBytes) {
    this.connection = connection;
    this.context = context;
    this.clientId = clientId;
    this.engine = engine;
    this.body = body;
    this.chargedBytes = chargedBytes;
  }

  // ---------------------------------------------------------------- handler steps

  void dequeued(long now) {
    dequeuedNanos = now;
  }

  /** The decoder returned {@code decoded}; processing starts now. */
  void started(Object decoded, long now) {
    request = decoded;
    methodName = decoded instanceof NamedRequest named ? named.methodName()
        : context.rpcKind().name();
    handlerStartNanos = now;
  }

  void ended(long now) {
    handlerEndNanos = now;
  }

  @Override
  public void responseWritten() {
    try {
      responseWrittenNanos = connection.runtime().ticker().nanoTime();
      connection.runtime().metrics().responseWritten(this);
    } catch (RuntimeException e) {
      // the writer is in the middle of the connection's write loop: statistics must not break it
    }
  }

  // ---------------------------------------------------------------- ServerCall

  @Override
  public CallContext context() {
    return context;
  }

  @Override
  public String protocolName() {
    String named = request instanceof NamedRequest r ? r.protocolName() : null;
    return named != null ? named : context.protocol();
  }

  @Override
  public String methodName() {
    return methodName;
  }

  @Override
  public Object request() {
    return request;
  }

  @Override
  public CallTimings timings() {
    return this;
  }

  // ---------------------------------------------------------------- CallTimings

  /** The reader reads the frame and queues the call in one step: received = enqueued. */
  @Override
  public long enqueuedNanos() {
    return context.receivedNanos();
  }

  @Override
  public long dequeuedNanos() {
    return dequeuedNanos;
  }

  @Override
  public long handlerStartNanos() {
    return handlerStartNanos;
  }

  @Override
  public long handlerEndNanos() {
    return handlerEndNanos;
  }

  @Override
  public long responseWrittenNanos() {
    return responseWrittenNanos;
  }

  // ---------------------------------------------------------------- budget

  /** Bytes of the request budget this call holds until {@link #finish()}. */
  int chargedBytes() {
    return chargedBytes;
  }

  /** Releases the request's budget charge and its in-flight mark. Idempotent. */
  void finish() {
    if (finished.compareAndSet(false, true)) {
      // The connection's activity stamp first: once the budget shows the bytes released, the
      // call's end is already counted as activity (tests on a fake clock rely on that order).
      connection.callFinished();
      connection.runtime().gate().callFinished(chargedBytes);
      connection.runtime().budget().release(chargedBytes);
    }
  }
}
