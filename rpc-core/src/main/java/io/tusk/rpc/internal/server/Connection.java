package io.tusk.rpc.internal.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import io.tusk.rpc.EngineRegistration;
import io.tusk.rpc.internal.server.RequestHeaderCheck.CloseSilently;
import io.tusk.rpc.internal.server.RequestHeaderCheck.Context;
import io.tusk.rpc.internal.server.RequestHeaderCheck.Dispatch;
import io.tusk.rpc.internal.server.RequestHeaderCheck.Fatal;
import io.tusk.rpc.internal.server.RequestHeaderCheck.Phase;
import io.tusk.rpc.internal.server.RequestHeaderCheck.Verdict;
import io.tusk.rpc.RemoteException;
import io.tusk.rpc.RetriableException;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.proto.ConnectionContextProtos.IpcConnectionContextProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcRequestHeaderProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcStatusProto;
import io.tusk.rpc.security.AuthMethod;
import io.tusk.rpc.server.CallContext;
import io.tusk.rpc.wire.FrameDecoder;
import io.tusk.rpc.wire.FrameEncoder;
import io.tusk.rpc.wire.FrameLengthException;
import io.tusk.rpc.wire.Preamble;
import io.tusk.rpc.wire.RpcConstants;
import io.tusk.rpc.wire.RpcHeaders;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted client connection: the read-side state machine and the ordered response queue.
 *
 * <pre>
 * PREAMBLE --7 bytes ok--> CONTEXT --frame with call id -3--> CALLS
 *    |  "GET " -> HTTP 404, close      | anything else -> FATAL, close
 *    |  bad magic/version -> version mismatch answer, close
 *    |  SASL -> FATAL, close                                 | FATAL (reader or handler) -> CLOSING
 * </pre>
 *
 * <p>After the preamble the reader frames bytes and parses RPC headers only; what a frame means
 * (context, ping, call for an engine, FATAL answer, close) is {@link RequestHeaderCheck}'s verdict,
 * and a refused preamble's answer is {@link Answers#refusePreamble}'s. A call's body goes to a
 * handler with the {@link Call}, and the handler runs the engine's decoder. Reading pauses while
 * the request budget is spent or the responses queued for this connection are above the high
 * water mark (until they fall to the low mark). In every state, queued responses that make no
 * progress for the write-stall timeout close the connection.
 *
 * <p>Threads: everything on the read side (state, preamble bytes, {@link FrameDecoder}, selection
 * key, pause flag, user and protocol) belongs to the connection's {@link Reader} thread. The write
 * side ({@link #send}, {@link #flushQueued}) is a {@link ResponseQueue}, used by handlers, the
 * reader (for answers it gives itself) and the {@link Responder}. {@link #close()} may run on
 * any thread; it hands the read-side cleanup back to the reader.
 */
final class Connection {
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

  private enum State { PREAMBLE, CONTEXT, CALLS, CLOSING }

  /**
   * Unwinds {@link FrameDecoder#feed} once a frame has ended reading (a FATAL answer is queued, or
   * the connection is closed), so that no later frame of the same read is processed. Made where
   * reading stops ({@link #stop}, {@link #fatal}), thrown by the caller, caught in
   * {@link #onReadable}.
   */
  private static final class StopReading extends IOException {
    private static final long serialVersionUID = 1L;

    StopReading(String why) {
      super(why);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this; // expected control flow, caught two frames up: no stack worth recording
    }
  }

  private final ServerRuntime runtime;
  private final Reader reader;
  private final SocketChannel channel;
  private final InetSocketAddress remote;
  private final long openedNanos;
  /** {@code runtime::engine}, made once: the header check looks engines up per call. */
  private final Function<RpcKind, EngineRegistration> engines;

  // ---- read side: reader thread only ----
  private State state = State.PREAMBLE;
  private final byte[] preamble = new byte[RpcConstants.PREAMBLE_LENGTH];
  private int preambleRead;
  private FrameDecoder decoder;
  private SelectionKey readKey;
  private boolean paused;
  /** Paused because too many response bytes are queued (water marks), not by the budget. */
  private boolean writePaused;
  private String user;
  private String realUser;
  private String protocol;

  // ---- shared ----
  private volatile long lastReadNanos;
  private volatile long lastActivityNanos;
  private final AtomicInteger callsInFlight = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Set by a handler that answered FATAL: the reader stops reading at its next look. */
  private volatile boolean stopRequested;

  // ---- write side: any thread, ordered by the queue's lock ----
  private final ResponseQueue responses;

  /** The responder's key for this channel; responder thread only. */
  SelectionKey writeKey;

  Connection(ServerRuntime runtime, Reader reader, SocketChannel channel,
      InetSocketAddress remote) {
    this.runtime = runtime;
    this.reader = reader;
    this.channel = channel;
    this.remote = remote;
    this.openedNanos = System.nanoTime();
    this.engines = runtime::engine;
    this.lastReadNanos = openedNanos;
    this.lastActivityNanos = openedNanos;
    this.responses = new ResponseQueue(channel, runtime.responseBudget());
  }

  ServerRuntime runtime() {
    return runtime;
  }

  SocketChannel channel() {
    return channel;
  }

  InetSocketAddress remoteAddress() {
    return remote;
  }

  boolean isClosed() {
    return closed.get();
  }

  long lastReadNanos() {
    return lastReadNanos;
  }

  /** A call of this connection finished or was dropped. */
  void callFinished() {
    callsInFlight.decrementAndGet();
    lastActivityNanos = System.nanoTime();
  }

  @Override
  public String toString() {
    return "connection from " + remote;
  }

  // =============================== read side (reader thread) ===============================

  void register(Selector selector) throws ClosedChannelException {
    readKey = channel.register(selector, SelectionKey.OP_READ, this);
  }

  /** The channel is readable: read once (at most the buffer's size) and process what came. */
  void onReadable(ByteBuffer buffer, long now) {
    if (state == State.CLOSING) {
      return;
    }
    if (stopRequested) {
      stopReading();
      return;
    }
    if (!mayRead(now)) {
      pause();
      return;
    }
    buffer.clear();
    int n;
    try {
      n = channel.read(buffer);
    } catch (IOException e) {
      LOG.debug("closing {}: read failed: {}", this, e.toString());
      closeNow();
      return;
    }
    if (n < 0) {
      if (decoder != null && decoder.hasPartialFrame()) {
        LOG.debug("closing {}: peer closed in the middle of a frame", this);
      } else {
        LOG.debug("closing {}: closed by peer", this);
      }
      closeNow();
      return;
    }
    if (n == 0) {
      return;
    }
    lastReadNanos = now;
    lastActivityNanos = now;
    buffer.flip();
    try {
      consume(buffer);
    } catch (StopReading e) {
      // a frame ended reading: a FATAL answer is on its way (closing once written) or closed
    } catch (FrameLengthException e) {
      LOG.warn("closing {}: announced frame length {} is not acceptable (limit {} bytes{})",
          this, e.announced(), e.maximum(),
          state == State.CONTEXT ? " before the connection context" : "");
      closeNow();
    } catch (IOException | RuntimeException e) {
      LOG.warn("closing {}: {}", this, e.toString());
      closeNow();
    }
  }

  /**
   * Whether to read now. Besides the request budget ({@link BudgetGate}), the write side pushes
   * back: above the high water mark of queued response bytes the connection stops reading until
   * they drop below the low mark, and while the server-wide response budget is spent, connections
   * that have responses queued stop reading (the others, which the socket keeps up with, go on).
   */
  private boolean mayRead(long now) {
    long queued = responses.queuedBytes();
    if (writePaused) {
      if (queued > runtime.options().writeLowWaterMark()) {
        return false;
      }
      writePaused = false;
    } else if (queued > runtime.options().writeHighWaterMark()) {
      writePaused = true;
      LOG.debug("{}: {} bytes of responses queued, reading paused", this, queued);
      return false;
    }
    if (queued > 0 && runtime.responseBudget().isExhausted()) {
      return false;
    }
    return decoder == null || runtime.gate().mayRead(this, decoder.hasPartialFrame(), now);
  }

  private void pause() {
    if (!paused) {
      paused = true;
      setReadInterest(0);
      reader.paused(this);
    }
  }

  /** Called by the reader on a paused connection; true when it is reading again (or closed). */
  boolean tryResume(long now) {
    if (state == State.CLOSING || isClosed()) {
      paused = false;
      return true;
    }
    if (mayRead(now)) {
      paused = false;
      lastActivityNanos = now; // the pause was our doing, not the peer's idleness
      setReadInterest(SelectionKey.OP_READ);
      return true;
    }
    return false;
  }

  private void setReadInterest(int ops) {
    try {
      if (readKey != null && readKey.isValid()) {
        readKey.interestOps(ops);
      }
    } catch (CancelledKeyException e) {
      // closed meanwhile
    }
  }

  private void consume(ByteBuffer buffer) throws IOException {
    if (state == State.PREAMBLE) {
      int n = Math.min(preamble.length - preambleRead, buffer.remaining());
      buffer.get(preamble, preambleRead, n);
      preambleRead += n;
      if (Preamble.looksLikeHttp(preamble, preambleRead)) {
        LOG.warn("closing {}: HTTP request on the IPC port, answered 404", this);
        answerRawAndClose(Answers.httpNotFound());
        return;
      }
      if (preambleRead < preamble.length || !acceptPreamble()) {
        return;
      }
    }
    if (state == State.CONTEXT || state == State.CALLS) {
      decoder.feed(buffer, this::onFrame);
    }
  }

  private boolean acceptPreamble() throws IOException {
    Preamble.Verdict verdict = Preamble.check(preamble);
    if (verdict == Preamble.Verdict.OK) {
      state = State.CONTEXT;
      decoder = new FrameDecoder(RpcConstants.MAX_SETUP_FRAME_LENGTH, runtime.budget());
      return true;
    }
    Answers.PreambleRefusal refusal = Answers.refusePreamble(verdict, preamble);
    if (refusal.fatal() != null) {
      throw fatal(refusal.fatal(), refusal.logReason());
    }
    if (refusal.logReason() != null) {
      LOG.warn("closing {}: {}", this, refusal.logReason());
    }
    if (refusal.raw() != null) {
      answerRawAndClose(refusal.raw());
    } else {
      closeNow();
    }
    return false;
  }

  private void onFrame(ByteBuffer body, int charge) throws IOException {
    boolean handedOff = false;
    try {
      if (stopRequested) {
        throw stop("a handler answered FATAL");
      }
      if (state != State.CONTEXT && state != State.CALLS) {
        throw stop("connection closing");
      }
      RpcRequestHeaderProto header;
      try {
        header = RpcHeaders.parseRequest(body);
      } catch (IOException e) {
        throw fatal(RequestHeaderCheck.headerUnreadable(e));
      }
      Verdict verdict = RequestHeaderCheck.check(
          state == State.CONTEXT ? Phase.CONTEXT : Phase.CALLS, header, engines);
      if (verdict instanceof Dispatch dispatch) {
        handedOff = dispatch(header, dispatch.engine(), body, charge);
      } else if (verdict instanceof Fatal answer) {
        throw fatal(answer);
      } else if (verdict == Context.INSTANCE) {
        acceptContext(header, body);
      } else if (verdict == CloseSilently.INSTANCE) {
        LOG.debug("closing {}: client asked to close", this);
        closeNow();
        throw new StopReading("closed on the client's request");
      }
      // Ping: nothing to answer
    } finally {
      if (!handedOff) {
        runtime.budget().release(charge);
      }
      runtime.gate().done(this);
    }
  }

  private void acceptContext(RpcRequestHeaderProto header, ByteBuffer body) throws IOException {
    IpcConnectionContextProto context;
    try {
      context = RpcHeaders.readDelimited(CodedInputStream.newInstance(body),
          IpcConnectionContextProto.parser());
    } catch (IOException e) {
      throw fatal(RequestHeaderCheck.contextUnreadable(header, e));
    }
    if (context.hasUserInfo()) {
      user = context.getUserInfo().hasEffectiveUser() ? context.getUserInfo().getEffectiveUser()
          : null;
      realUser = context.getUserInfo().hasRealUser() ? context.getUserInfo().getRealUser() : null;
    }
    protocol = context.hasProtocol() ? context.getProtocol() : null;
    state = State.CALLS;
    decoder.setMaxFrameLength(runtime.options().maxFrameLength());
    LOG.debug("{} set up: user {}, protocol {}", this, user, protocol);
  }

  /** Returns true when the frame became a queued call (which now owns the budget charge). */
  private boolean dispatch(RpcRequestHeaderProto header, EngineRegistration engine,
      ByteBuffer body, int charge) throws IOException {
    int callId = header.getCallId();
    int retry = header.getRetryCount();
    ByteString clientId = header.getClientId();
    CallContext context = CallContext.fromHeader(header, engine.kind(), protocol, user, realUser,
        AuthMethod.SIMPLE, remote, runtime.ticker().nanoTime());
    callsInFlight.incrementAndGet();
    if (runtime.enqueue(new Call(this, context, clientId, engine, body, charge))) {
      return true;
    }
    callsInFlight.decrementAndGet();
    runtime.metrics().recordRejected();
    LOG.debug("{}: call #{} rejected, call queue full", this, callId);
    sendFromReader(RpcHeaders.failure(callId, clientId, retry, RpcStatusProto.ERROR,
        RemoteException.wireName(RetriableException.class),
        "Server too busy: call queue full (" + runtime.callQueueCapacity()
            + " calls), retry later", RpcErrorCodeProto.ERROR_RPC_SERVER), false);
    return false;
  }

  private StopReading fatal(Fatal answer) throws IOException {
    return fatal(answer, answer.message());
  }

  /**
   * Queues a FATAL answer, closing after it is written, and stops reading. The caller throws the
   * returned exception to leave the decoder loop.
   */
  private StopReading fatal(Fatal answer, String logReason) throws IOException {
    LOG.warn("closing {}: {} ({})", this, logReason, answer.code());
    sendFromReader(RpcHeaders.failure(answer.callId(), answer.clientId(), answer.retryCount(),
        RpcStatusProto.FATAL, answer.exceptionClass(), answer.message(), answer.code()), true);
    return stop(logReason);
  }

  /** Stops reading and returns the exception that unwinds the decoder loop. */
  private StopReading stop(String why) {
    stopReading();
    return new StopReading(why);
  }

  private void sendFromReader(com.google.protobuf.MessageLite header, boolean closeAfter)
      throws IOException {
    ByteBuffer frame = reader.encoder().encode(header, null);
    send(frame, closeAfter);
    reader.encoder().trim();
  }

  private void answerRawAndClose(byte[] answer) {
    stopReading();
    send(ByteBuffer.wrap(answer), true);
  }

  /** Stops reading from this connection and returns its partial frame's charge. Reader only. */
  private void stopReading() {
    state = State.CLOSING;
    setReadInterest(0);
    releaseReadState();
  }

  /** Closes at once from the reader thread. */
  private void closeNow() {
    stopReading();
    close();
  }

  /** Drops the partial frame and its budget charge. Reader thread only; idempotent. */
  void releaseReadState() {
    if (decoder != null) {
      decoder.release();
    }
    runtime.gate().done(this);
  }

  /** Periodic check on the reader thread: write stall, setup deadline and idle timeout. */
  void checkTimers(long now) {
    if (isClosed()) {
      return;
    }
    long stalled = responses.stalledNanos(now);
    long stallLimit = runtime.options().writeStallTimeout().toNanos();
    if (stalled > stallLimit) {
      // In any state, whatever the peer keeps sending: a peer that takes none of its responses
      // for this long is not a client any more, and its queued bytes are the server's memory.
      LOG.warn("closing {}: {} bytes of responses queued and none written for {} ms", this,
          responses.queuedBytes(), stallLimit / 1_000_000);
      closeNow();
      return;
    }
    if (stopRequested && state != State.CLOSING) {
      stopReading();
    }
    if (state == State.CLOSING) {
      return;
    }
    if (state != State.CALLS) {
      long setup = runtime.options().setupTimeout().toNanos();
      if (now - openedNanos > setup) {
        LOG.warn("closing {}: {} not received within {} ms", this,
            state == State.PREAMBLE ? "preamble" : "connection context", setup / 1_000_000);
        closeNow();
      }
      return;
    }
    if (paused || callsInFlight.get() > 0) {
      return;
    }
    long idle = runtime.options().idleTimeout().toNanos();
    long lastActivity = Math.max(lastActivityNanos, responses.lastWriteNanos());
    if (now - lastActivity <= idle) {
      return;
    }
    if (decoder.hasPartialFrame()) {
      LOG.warn("closing {}: stalled in the middle of a frame for {} ms ({} bytes buffered)",
          this, idle / 1_000_000, decoder.bufferedBytes());
    } else if (hasQueuedResponses()) {
      LOG.warn("closing {}: not reading its responses for {} ms", this, idle / 1_000_000);
    } else {
      LOG.debug("closing {}: idle for {} ms", this, idle / 1_000_000);
    }
    closeNow();
  }

  // =============================== write side (any thread) ===============================

  /**
   * Writes one frame, or queues what does not fit for the responder. Responses keep their order.
   *
   * @param frame position..limit is sent; may be a reused buffer (the unsent rest is copied)
   * @param closeAfter close the connection once this frame is written (FATAL answers)
   */
  void send(ByteBuffer frame, boolean closeAfter) {
    send(frame, null, closeAfter, null);
  }

  /** Like {@link #send(ByteBuffer, boolean)}; {@code written} (may be null) hears when it is out. */
  void send(ByteBuffer frame, boolean closeAfter, ResponseQueue.WriteListener written) {
    send(frame, null, closeAfter, written);
  }

  /**
   * As {@link #send(ByteBuffer, boolean, ResponseQueue.WriteListener)} for a frame from the
   * calling thread's {@code encoder}: a large unsent rest takes the encoder's buffer over instead
   * of being copied.
   */
  void send(ByteBuffer frame, FrameEncoder encoder, boolean closeAfter,
      ResponseQueue.WriteListener written) {
    if (isClosed()) {
      return;
    }
    ResponseQueue.Outcome outcome = responses.send(frame, encoder, closeAfter, written);
    if (outcome == ResponseQueue.Outcome.QUEUED) {
      runtime.responder().wantWrite(this);
    } else if (outcome == ResponseQueue.Outcome.CLOSE) {
      closeAfterWrite();
    }
  }

  /**
   * Writes queued responses as far as the socket takes them. Responder thread.
   *
   * @return true when the queue is empty (the responder stops watching for OP_WRITE)
   */
  boolean flushQueued() {
    ResponseQueue.Outcome outcome = responses.flush();
    if (outcome == ResponseQueue.Outcome.CLOSE) {
      closeAfterWrite();
    }
    return outcome != ResponseQueue.Outcome.QUEUED;
  }

  boolean hasQueuedResponses() {
    return !responses.isEmpty();
  }

  private void closeAfterWrite() {
    if (!isClosed() && responses.lastFailure() != null) {
      LOG.debug("closing {}: write failed: {}", this, responses.lastFailure().toString());
    }
    close();
  }

  /**
   * A handler answers FATAL for one of this connection's calls (its request did not decode): the
   * answer goes out after the responses before it, nothing after it, then the connection closes;
   * the reader stops reading at its next look. One log line: ERROR with the stack when the cause
   * is an {@link Error} (a decoder that overflowed its stack), WARN otherwise. Any thread.
   */
  void fatalFromHandler(ByteBuffer frame, String reason, Throwable cause) {
    if (cause instanceof Error) {
      LOG.error("closing {}: {}", this, reason, cause);
    } else {
      LOG.warn("closing {}: {}", this, reason);
    }
    stopRequested = true;
    send(frame, true);
  }

  /**
   * Reading this connection threw something unexpected (an Error): close only this connection.
   * Reader thread.
   */
  void readFailed(Throwable t) {
    LOG.error("closing {}: reading failed with {}", this, t.toString(), t);
    closeNow();
  }

  /** Response bytes queued for this connection now. */
  long queuedResponseBytes() {
    return responses.queuedBytes();
  }

  /** Closes the socket and drops queued responses. Any thread; idempotent. */
  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("closing {}: {}", this, e.toString());
    }
    responses.clear();
    runtime.connectionClosed(this);
    reader.connectionClosed(this);
  }
}
