package io.tusk.rpc.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.MessageLite;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.proto.ConnectionContextProtos.IpcConnectionContextProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcRequestHeaderProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcStatusProto;
import io.tusk.rpc.wire.FrameEncoder;
import io.tusk.rpc.wire.Preamble;
import io.tusk.rpc.wire.RpcConstants;
import io.tusk.rpc.wire.RpcHeaders;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A fake Hadoop IPC server for client tests: it accepts connections on 127.0.0.1, checks the
 * preamble and the connection context, then answers each request as a {@link Script} says
 * (reply, ERROR, FATAL, later, never, close, raw bytes). What it saw (handshakes, requests,
 * pings) can be read and awaited.
 *
 * <p>Threads, all named after the server: {@code <name>-accept}, one {@code <name>-peer-<n>} per
 * connection (reads and answers in order), {@code <name>-later} for delayed answers. Answers
 * may be written by a peer thread, the delay thread or a test thread ({@link Request#respond});
 * writes to one connection are serialized. {@link #close()} closes every socket and joins every
 * thread.
 */
public final class ScriptedServer implements AutoCloseable {
  /** Decides what to do with one request; runs on the connection's peer thread. */
  @FunctionalInterface
  public interface Script {
    Action answer(Request request);
  }

  /** What the server does with a request. Immutable. */
  public static final class Action {
    enum Kind { REPLY, ERROR, FATAL, LATER, NONE, CLOSE, RAW }

    final Kind kind;
    final byte[] bytes;
    final String className;
    final String message;
    final RpcErrorCodeProto code;
    final Duration delay;
    final Action then;
    final Integer callId;

    private Action(Kind kind, byte[] bytes, String className, String message,
        RpcErrorCodeProto code, Duration delay, Action then, Integer callId) {
      this.kind = kind;
      this.bytes = bytes;
      this.className = className;
      this.message = message;
      this.code = code;
      this.delay = delay;
      this.then = then;
      this.callId = callId;
    }

    /** SUCCESS with these response bytes after the header. */
    public static Action reply(byte[] payload) {
      return new Action(Kind.REPLY, payload, null, null, null, null, null, null);
    }

    /** SUCCESS with the UTF-8 bytes of {@code text}. */
    public static Action reply(String text) {
      return reply(text.getBytes(StandardCharsets.UTF_8));
    }

    /** ERROR: the call fails, the connection lives on. */
    public static Action error(String className, String message, RpcErrorCodeProto code) {
      return new Action(Kind.ERROR, null, className, message, code, null, null, null);
    }

    /** FATAL: the answer is sent, then the server closes the connection. */
    public static Action fatal(String className, String message, RpcErrorCodeProto code) {
      return new Action(Kind.FATAL, null, className, message, code, null, null, null);
    }

    /** {@code then}, after {@code delay}, on the delay thread (later requests go on meanwhile). */
    public static Action after(Duration delay, Action then) {
      return new Action(Kind.LATER, null, null, null, null, delay, then, null);
    }

    /** No answer (the script may still {@link Request#respond} later). */
    public static Action none() {
      return new Action(Kind.NONE, null, null, null, null, null, null, null);
    }

    /** Close the connection without answering. */
    public static Action closeConnection() {
      return new Action(Kind.CLOSE, null, null, null, null, null, null, null);
    }

    /** Write these bytes as they are (no framing added). */
    public static Action raw(byte[] bytes) {
      return new Action(Kind.RAW, bytes, null, null, null, null, null, null);
    }

    /** The same answer under another call id (e.g. -2, or an id nobody waits for). */
    public Action forCallId(int id) {
      return new Action(kind, bytes, className, message, code, delay, then, id);
    }
  }

  /** What one connection sent before its first request. */
  public record Handshake(byte[] preamble, byte[] contextFrame, RpcRequestHeaderProto header,
      IpcConnectionContextProto context) {
    public String user() {
      return context.getUserInfo().getEffectiveUser();
    }

    public String protocol() {
      return context.getProtocol();
    }

    public byte[] clientId() {
      return header.getClientId().toByteArray();
    }
  }

  /** One request as received. */
  public record Request(Peer peer, RpcRequestHeaderProto header, byte[] payload) {
    public int callId() {
      return header.getCallId();
    }

    public String payloadText() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** Answers now from the calling thread (for scripts that answered {@link Action#none()}). */
    public void respond(Action action) {
      peer.perform(action, this);
    }
  }

  private final String name;
  private final Script script;
  private final ServerSocket listener;
  private final Thread acceptor;
  private final ScheduledThreadPoolExecutor later;
  private final List<Peer> peers = new CopyOnWriteArrayList<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final AtomicInteger pings = new AtomicInteger();
  private volatile boolean closed;

  private ScriptedServer(String name, Script script) throws IOException {
    this.name = name;
    this.script = script;
    this.listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    this.later = new ScheduledThreadPoolExecutor(1, r -> new Thread(r, name + "-later"));
    this.acceptor = new Thread(this::acceptLoop, name + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Starts a server answering with {@code script}; give each test its own {@code name}. */
  public static ScriptedServer start(String name, Script script) throws IOException {
    return new ScriptedServer(name, script);
  }

  /** The bound address: 127.0.0.1 and an ephemeral port. */
  public InetSocketAddress address() {
    return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
  }

  /** Connections accepted so far, in order. */
  public List<Peer> peers() {
    return List.copyOf(peers);
  }

  /** Every request received (pings excluded), in arrival order per connection. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Pings received on all connections. */
  public int pingCount() {
    return pings.get();
  }

  /** Protocol violations seen (bad preamble, bad context, unparseable header); empty if none. */
  public List<String> errors() {
    return List.copyOf(errors);
  }

  public Peer awaitPeer(int index, Duration timeout) {
    await(() -> peers.size() > index, timeout, "connection #" + index);
    return peers.get(index);
  }

  public void awaitRequests(int count, Duration timeout) {
    await(() -> requests.size() >= count, timeout, count + " requests");
  }

  public void awaitPings(int count, Duration timeout) {
    await(() -> pings.get() >= count, timeout, count + " pings");
  }

  private synchronized void changed() {
    notifyAll();
  }

  private synchronized void await(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        throw new AssertionError(name + ": timed out waiting for " + what + "; errors: " + errors);
      }
      try {
        wait(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket socket = listener.accept();
        socket.setTcpNoDelay(true);
        Peer peer = new Peer(peers.size(), socket);
        peers.add(peer);
        if (closed) {
          peer.close();
          return;
        }
        peer.thread.start();
        changed();
      } catch (IOException e) {
        if (!closed) {
          errors.add("accept failed: " + e);
        }
        return;
      }
    }
  }

  /** One accepted connection. */
  public final class Peer {
    private final int index;
    private final Socket socket;
    private final Thread thread;
    private final OutputStream out;
    private volatile Handshake handshake;
    private volatile boolean ended;
    private int lastRepliedId = -1;
    private int outOfOrder;

    Peer(int index, Socket socket) throws IOException {
      this.index = index;
      this.socket = socket;
      this.out = socket.getOutputStream();
      this.thread = new Thread(this::readLoop, name + "-peer-" + index);
      thread.setDaemon(true);
    }

    public int index() {
      return index;
    }

    /** What the client sent first; waits for it. */
    public Handshake handshake(Duration timeout) {
      await(() -> handshake != null, timeout, "handshake on connection #" + index);
      return handshake;
    }

    /** Waits until the client closed this connection (or the server did). */
    public void awaitEnded(Duration timeout) {
      await(() -> ended, timeout, "end of connection #" + index);
    }

    public boolean ended() {
      return ended;
    }

    /** Replies sent with a smaller call id than a reply before them. */
    public synchronized int outOfOrderReplies() {
      return outOfOrder;
    }

    private void readLoop() {
      try (DataInputStream in = new DataInputStream(
          new BufferedInputStream(socket.getInputStream()))) {
        byte[] preamble = new byte[RpcConstants.PREAMBLE_LENGTH];
        in.readFully(preamble);
        if (Preamble.check(preamble) != Preamble.Verdict.OK) {
          errors.add("connection #" + index + ": bad preamble " + Preamble.check(preamble));
          return;
        }
        byte[] contextBody = readFrame(in);
        ByteBuffer body = ByteBuffer.wrap(contextBody);
        RpcRequestHeaderProto header = RpcHeaders.parseRequest(body);
        if (header.getCallId() != RpcConstants.CONNECTION_CONTEXT_CALL_ID) {
          errors.add("connection #" + index + ": first frame has call id " + header.getCallId());
          return;
        }
        IpcConnectionContextProto context = RpcHeaders.readDelimited(
            CodedInputStream.newInstance(body), IpcConnectionContextProto.parser());
        byte[] contextFrame = ByteBuffer.allocate(4 + contextBody.length)
            .putInt(contextBody.length).put(contextBody).array();
        handshake = new Handshake(preamble, contextFrame, header, context);
        changed();
        while (true) {
          byte[] frame = readFrame(in);
          ByteBuffer b = ByteBuffer.wrap(frame);
          RpcRequestHeaderProto h = RpcHeaders.parseRequest(b);
          if (h.getCallId() == RpcConstants.PING_CALL_ID) {
            pings.incrementAndGet();
            changed();
            continue;
          }
          byte[] payload = new byte[b.remaining()];
          b.get(payload);
          Request request = new Request(this, h, payload);
          requests.add(request);
          changed();
          perform(script.answer(request), request);
        }
      } catch (EOFException e) {
        // the client closed the connection
      } catch (IOException e) {
        if (!closed && !socket.isClosed()) {
          errors.add("connection #" + index + ": " + e);
        }
      } catch (RuntimeException e) {
        errors.add("connection #" + index + ": script failed: " + e);
      } finally {
        close();
        ended = true;
        changed();
      }
    }

    private byte[] readFrame(DataInputStream in) throws IOException {
      int length = in.readInt();
      if (length < 0 || length > RpcConstants.DEFAULT_MAX_DATA_LENGTH) {
        throw new IOException("bad frame length " + length);
      }
      byte[] frame = new byte[length];
      in.readFully(frame);
      return frame;
    }

    void perform(Action action, Request request) {
      int id = action.callId != null ? action.callId : request.callId();
      ByteString clientId = request.header().getClientId();
      int retry = request.header().getRetryCount();
      try {
        switch (action.kind) {
          case REPLY -> write(RpcHeaders.success(id, clientId, retry), action.bytes, id);
          case ERROR -> write(RpcHeaders.failure(id, clientId, retry, RpcStatusProto.ERROR,
              action.className, action.message, action.code), null, id);
          case FATAL -> {
            write(RpcHeaders.failure(id, clientId, retry, RpcStatusProto.FATAL,
                action.className, action.message, action.code), null, id);
            close();
          }
          case LATER -> later.schedule(() -> perform(action.then, request),
              action.delay.toNanos(), TimeUnit.NANOSECONDS);
          case NONE -> { }
          case CLOSE -> close();
          case RAW -> {
            synchronized (this) {
              out.write(action.bytes);
              out.flush();
            }
          }
          default -> throw new IllegalStateException(action.kind.toString());
        }
      } catch (IOException | RejectedExecutionException e) {
        // the connection or the server is gone; the client side is what the test looks at
      }
    }

    private void write(MessageLite header, byte[] payload, int id) throws IOException {
      byte[] frame = new FrameEncoder().encodeToArray(header,
          payload == null ? null : RpcPayload.ofBytes(payload));
      synchronized (this) {
        if (id >= 0) {
          if (id < lastRepliedId) {
            outOfOrder++;
          }
          lastRepliedId = Math.max(lastRepliedId, id);
        }
        out.write(frame);
        out.flush();
      }
    }

    /** Closes this connection from the server side. */
    public void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  /** Closes the listener and every connection, stops the delay thread and joins every thread. */
  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException e) {
      // closing anyway
    }
    later.shutdownNow();
    try {
      acceptor.join(5_000);
      for (Peer peer : peers) {
        peer.close();
      }
      for (Peer peer : peers) {
        peer.thread.join(5_000);
      }
      later.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
