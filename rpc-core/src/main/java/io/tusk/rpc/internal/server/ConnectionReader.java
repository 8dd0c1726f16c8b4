package io.tusk.rpc.internal.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import io.tusk.rpc.RemoteException;
import io.tusk.rpc.RetriableException;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.internal.server.RequestHeaderCheck.Context;
import io.tusk.rpc.internal.server.RequestHeaderCheck.Dispatch;
import io.tusk.rpc.internal.server.RequestHeaderCheck.Fatal;
import io.tusk.rpc.internal.server.RequestHeaderCheck.Phase;
import io.tusk.rpc.internal.server.RequestHeaderCheck.Verdict;
import io.tusk.rpc.proto.ConnectionContextProtos.IpcConnectionContextProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcRequestHeaderProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcStatusProto;
import io.tusk.rpc.security.AuthMethod;
import io.tusk.rpc.server.CallContext;
import io.tusk.rpc.wire.FrameDecoder;
import io.tusk.rpc.wire.HadoopNames;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read side of one {@link Connection}: the state machine from the preamble through the
 * connection context to calls, pausing and resuming, and the hand-off of calls to the queue.
 *
 * <pre>
 * PREAMBLE --7 bytes ok--> CONTEXT --frame with call id -3--> CALLS
 *    |  "GET " -> HTTP 404, close      | a call, a bad header -> FATAL, close (pings pass)
 *    |  bad magic/version -> version mismatch answer, close
 *    |  SASL -> FATAL, close                                 | FATAL (reader or handler) -> CLOSING
 * </pre>
 *
 * <p>After the preamble it frames bytes and parses RPC headers only; what a frame means (context,
 * ping, call for an engine, FATAL answer) is {@link RequestHeaderCheck}'s verdict, and a
 * refused preamble's answer is {@link Answers#refusePreamble}'s. A call's body goes to a handler
 * with the {@link Call}, and the handler runs the engine's decoder. Reading pauses while the
 * request budget is spent or the responses queued for this connection are above the high water
 * mark (until they fall to the low mark).
 *
 * <p>Threads: everything here (state, preamble bytes, {@link FrameDecoder}, selection key, pause
 * flags, user and protocol) belongs to the connection's {@link Reader} thread.
 */
final class ConnectionReader {
  /** Logs as {@link Connection}: one logger name for everything about a connection. */
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

  private final Connection connection;
  private final ServerRuntime runtime;
  private final Reader reader;
  private final SocketChannel channel;
  private final InetSocketAddress remote;
  private final ConnectionTimers timers;
  /** {@code runtime::engine}, made once: the header check looks engines up per call. */
  private final Function<RpcKind, EngineSlot> engines;

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

  ConnectionReader(Connection connection, Reader reader, ConnectionTimers timers) {
    this.connection = connection;
    this.runtime = connection.runtime();
    this.reader = reader;
    this.channel = connection.channel();
    this.remote = connection.remoteAddress();
    this.timers = timers;
    this.engines = runtime::engine;
  }

  // ---- what the timers ask ----

  /** Reading has stopped for good (a FATAL answer is on its way, or closed). */
  boolean isClosing() {
    return state == State.CLOSING;
  }

  /** The preamble and the connection context have been received. */
  boolean isSetUp() {
    return state == State.CALLS;
  }

  /** What the peer has not sent yet, before it is set up. */
  String missingSetupStep() {
    return state == State.PREAMBLE ? "preamble" : "connection context";
  }

  boolean isPaused() {
    return paused;
  }

  boolean hasPartialFrame() {
    return decoder != null && decoder.hasPartialFrame();
  }

  int bufferedBytes() {
    return decoder == null ? 0 : decoder.bufferedBytes();
  }

  void register(Selector selector) throws ClosedChannelException {
    readKey = channel.register(selector, SelectionKey.OP_READ, connection);
  }

  /** The channel is readable: read once (at most the buffer's size) and process what came. */
  void onReadable(ByteBuffer buffer, long now) {
    if (state == State.CLOSING) {
      return;
    }
    if (connection.stopRequested()) {
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
      LOG.debug("closing {}: read failed: {}", connection, e.toString());
      closeNow();
      return;
    }
    if (n < 0) {
      if (decoder != null && decoder.hasPartialFrame()) {
        LOG.debug("closing {}: peer closed in the middle of a frame", connection);
      } else {
        LOG.debug("closing {}: closed by peer", connection);
      }
      closeNow();
      return;
    }
    if (n == 0) {
      return;
    }
    timers.read(now);
    buffer.flip();
    try {
      consume(buffer);
    } catch (StopReading e) {
      // a frame ended reading: a FATAL answer is on its way (closing once written) or closed
    } catch (FrameLengthException e) {
      LOG.warn("closing {}: announced frame length {} is not acceptable (limit {} bytes{})",
          connection, e.announced(), e.maximum(),
          state == State.CONTEXT ? " before the connection context" : "");
      closeNow();
    } catch (IOException | RuntimeException e) {
      LOG.warn("closing {}: {}", connection, e.toString());
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
    long queued = connection.queuedResponseBytes();
    if (writePaused) {
      if (queued > runtime.options().writeLowWaterMark()) {
        return false;
      }
      writePaused = false;
    } else if (queued > runtime.options().writeHighWaterMark()) {
      writePaused = true;
      LOG.debug("{}: {} bytes of responses queued, reading paused", connection, queued);
      return false;
    }
    if (queued > 0 && runtime.responseBudget().isExhausted()) {
      return false;
    }
    return decoder == null || runtime.gate().mayRead(connection, decoder.hasPartialFrame(), now);
  }

  private void pause() {
    if (!paused) {
      paused = true;
      setReadInterest(0);
      reader.paused(connection);
    }
  }

  /** Called by the reader on a paused connection; true when it is reading again (or closed). */
  boolean tryResume(long now) {
    if (state == State.CLOSING || connection.isClosed()) {
      paused = false;
      return true;
    }
    if (mayRead(now)) {
      paused = false;
      timers.activity(now); // the pause was our doing, not the peer's idleness
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
        LOG.warn("closing {}: HTTP request on the IPC port, answered 404", connection);
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
      LOG.warn("closing {}: {}", connection, refusal.logReason());
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
      if (connection.stopRequested()) {
        throw stop("a handler answered FATAL");
      }
      if (state != State.CONTEXT && state != State.CALLS) {
        throw stop("connection closing");
      }
      RpcRequestHeaderProto header;
      try {
        header = RpcHeaders.parseRequest(body); // on failure the position is left where it was
      } catch (IOException e) {
        throw fatal(RequestHeaderCheck.headerUnreadable(body, e));
      }
      Verdict verdict = RequestHeaderCheck.check(
          state == State.CONTEXT ? Phase.CONTEXT : Phase.CALLS, header, engines);
      if (verdict instanceof Dispatch dispatch) {
        handedOff = dispatch(header, dispatch.engine(), body, charge);
      } else if (verdict instanceof Fatal answer) {
        throw fatal(answer);
      } else if (verdict == Context.INSTANCE) {
        acceptContext(header, body);
      }
      // Ping: nothing to answer
    } finally {
      if (!handedOff) {
        runtime.budget().release(charge);
      }
      runtime.gate().done(connection);
    }
  }

  private void acceptContext(RpcRequestHeaderProto header, ByteBuffer body) throws IOException {
    IpcConnectionContextProto context;
    ByteBuffer contextBytes = body.duplicate();
    try {
      context = RpcHeaders.readDelimited(CodedInputStream.newInstance(contextBytes),
          IpcConnectionContextProto.parser());
    } catch (IOException e) {
      throw fatal(RequestHeaderCheck.contextUnreadable(header, body, e));
    }
    if (context.hasUserInfo()) {
      user = context.getUserInfo().hasEffectiveUser() ? context.getUserInfo().getEffectiveUser()
          : null;
      realUser = context.getUserInfo().hasRealUser() ? context.getUserInfo().getRealUser() : null;
    }
    authorizeImpersonation(user, realUser, remote);
    protocol = context.hasProtocol() ? context.getProtocol() : null;
    state = State.CALLS;
    decoder.setMaxFrameLength(runtime.options().maxFrameLength());
    LOG.debug("{} set up: user {}, protocol {}", connection, user, protocol);
  }

  /**
   * Refuses a proxy-user context the server's {@code hadoop.proxyuser.*} rules do not allow, as
   * Hadoop's {@code authorizeConnection} does: FATAL on call id -1, FATAL_UNAUTHORIZED, then close.
   */
  private void authorizeImpersonation(String user, String realUser, InetSocketAddress remote)
      throws IOException {
    if (realUser == null) {
      return;
    }
    String refusal = runtime.impersonationRefusal(user == null ? "" : user, realUser,
        remote == null ? null : remote.getAddress());
    if (refusal != null) {
      throw fatal(new Fatal(RpcConstants.AUTHORIZATION_FAILED_CALL_ID,
          RpcConstants.INVALID_RETRY_COUNT, ByteString.EMPTY, HadoopNames.AUTHORIZATION_EXCEPTION,
          refusal, RpcErrorCodeProto.FATAL_UNAUTHORIZED));
    }
  }

  /** Returns true when the frame became a queued call (which now owns the budget charge). */
  private boolean dispatch(RpcRequestHeaderProto header, EngineSlot engine,
      ByteBuffer body, int charge) throws IOException {
    int callId = header.getCallId();
    int retry = header.getRetryCount();
    ByteString clientId = header.getClientId();
    CallContext context = CallContext.fromHeader(header, engine.kind(), protocol, user, realUser,
        AuthMethod.SIMPLE, remote, runtime.ticker().nanoTime(), runtime.groupMapping());
    connection.callStarted();
    if (runtime.enqueue(new Call(connection, context, clientId, engine, body, charge))) {
      return true;
    }
    connection.callRejected();
    runtime.metrics().recordRejected();
    LOG.debug("{}: call #{} rejected, call queue full", connection, callId);
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
    LOG.warn("closing {}: {} ({})", connection, logReason, answer.code());
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
    connection.send(frame, closeAfter);
    reader.encoder().trim();
  }

  private void answerRawAndClose(byte[] answer) {
    stopReading();
    connection.send(ByteBuffer.wrap(answer), true);
  }

  /** Stops reading from this connection and returns its partial frame's charge. Reader only. */
  void stopReading() {
    state = State.CLOSING;
    setReadInterest(0);
    releaseReadState();
  }

  /** Closes at once from the reader thread. */
  void closeNow() {
    stopReading();
    connection.close();
  }

  /** Drops the partial frame and its budget charge. Reader thread only; idempotent. */
  void releaseReadState() {
    if (decoder != null) {
      decoder.release();
    }
    runtime.gate().done(connection);
  }
}
