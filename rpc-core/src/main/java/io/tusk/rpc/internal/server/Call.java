package io.tusk.rpc.internal.server;

import com.google.protobuf.ByteString;
import io.tusk.rpc.EngineRegistration;
import io.tusk.rpc.server.CallContext;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One decoded request waiting in the call queue or running on a handler.
 *
 * <p>Created by a reader thread, then owned by whichever thread takes it from the queue (a handler,
 * or the shutdown path that drops it). {@link #finish()} returns the frame's bytes to the request
 * budget and tells the connection the call is no longer in flight; it runs exactly once.
 */
final class Call {
  final Connection connection;
  final CallContext context;
  final ByteString clientId;
  final EngineRegistration engine;
  final Object request;
  private final int chargedBytes;
  private final AtomicBoolean finished = new AtomicBoolean();

  Call(Connection connection, CallContext context, ByteString clientId, EngineRegistration engine,
      Object request, int chargedBytes) {
    this.connection = connection;
    this.context = context;
    this.clientId = clientId;
    this.engine = engine;
    this.request = request;
    this.chargedBytes = chargedBytes;
  }

  /** Bytes of the request budget this call holds until {@link #finish()}. */
  int chargedBytes() {
    return chargedBytes;
  }

  /** Releases the request's budget charge and its in-flight mark. Idempotent. */
  void finish() {
    if (finished.compareAndSet(false, true)) {
      connection.runtime().gate().callFinished(chargedBytes);
      connection.runtime().budget().release(chargedBytes);
      connection.callFinished();
    }
  }
}
