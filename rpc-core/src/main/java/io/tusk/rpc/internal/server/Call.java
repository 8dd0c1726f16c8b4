package io.tusk.rpc.internal.server;

import com.google.protobuf.ByteString;
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
 */
final class Call {
  final Connection connection;
  final CallContext context;
  final ByteString clientId;
  final EngineSlot engine;
  /** The bytes after the RPC header, for the engine's decoder. */
  final ByteBuffer body;
  private final int chargedBytes;
  private final AtomicBoolean finished = new AtomicBoolean();

  Call(Connection connection, CallContext context, ByteString clientId, EngineSlot engine,
      ByteBuffer body, int chargedBytes) {
    this.connection = connection;
    this.context = context;
    this.clientId = clientId;
    this.engine = engine;
    this.body = body;
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
