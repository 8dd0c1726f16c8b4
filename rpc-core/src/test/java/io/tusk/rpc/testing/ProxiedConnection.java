package io.tusk.rpc.testing;

import io.tusk.rpc.testing.FaultInjectingProxy.Direction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection accepted by a {@link FaultInjectingProxy} and its connection to the
 * target, with the {@link FaultPlan} drawn for it. Tests read its counters and may break it while
 * it runs ({@link #blackhole()}, {@link #stall()}, {@link #reset()}).
 *
 * <p>Threads: two pump threads, {@code <name>-proxy-<index>-c2s} and {@code ...-s2c}, each owning
 * the reading side of one socket and the writing side of the other. Any thread may call the
 * public methods. The connection ends when both directions saw end-of-stream, when a fault or
 * an I/O error closes it, or when the proxy closes; then both sockets are closed and both pumps
 * end.
 */
public final class ProxiedConnection {
  private static final Logger LOG = LoggerFactory.getLogger(ProxiedConnection.class);
  private static final int CHUNK = 16 * 1024;

  private final FaultInjectingProxy proxy;
  private final int index;
  private final FaultPlan plan;
  private final Socket client;
  private final Socket server;
  private final Pump requests;
  private final Pump responses;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final long acceptedNanos = System.nanoTime();
  private volatile long clientGoneNanos;
  private volatile String closeReason;

  ProxiedConnection(FaultInjectingProxy proxy, int index, FaultPlan plan, Socket client,
      Socket server) {
    this.proxy = proxy;
    this.index = index;
    this.plan = plan;
    this.client = client;
    this.server = server;
    this.requests = new Pump(Direction.CLIENT_TO_SERVER, client, server,
        plan.clientToServer());
    this.responses = new Pump(Direction.SERVER_TO_CLIENT, server, client,
        plan.serverToClient());
  }

  void start() {
    proxy.startThread(index + "-c2s", requests);
    proxy.startThread(index + "-s2c", responses);
  }

  /** 0 for the first connection the proxy accepted, then 1, 2, ... */
  public int index() {
    return index;
  }

  /** The faults drawn for this connection when it was accepted. */
  public FaultPlan plan() {
    return plan;
  }

  /** {@link System#nanoTime()} when the proxy accepted it. */
  public long acceptedNanos() {
    return acceptedNanos;
  }

  /** False once the proxy closed both sockets. */
  public boolean isOpen() {
    return !closing.get();
  }

  /**
   * True once the client closed or reset its end (seen as end-of-stream or an error on the
   * client socket), even when a fault keeps the proxy from passing that on to the server.
   * Not observable while requests are {@link Fault.Kind#STALL stalled}: nothing reads then.
   */
  public boolean clientClosed() {
    return clientGoneNanos != 0;
  }

  /** {@link System#nanoTime()} when {@link #clientClosed()} became true, or 0. */
  public long clientClosedNanos() {
    return clientGoneNanos;
  }

  /** Why the proxy closed it, or null while open. */
  public String closeReason() {
    return closeReason;
  }

  /** Bytes passed on in {@code direction}. */
  public long bytesForwarded(Direction direction) {
    return pump(direction).forwarded.get();
  }

  /** Bytes read in {@code direction} and thrown away by a fault. */
  public long bytesDiscarded(Direction direction) {
    return pump(direction).discarded.get();
  }

  /**
   * From now on, read and throw away everything in both directions, closes included, and keep
   * both sockets open: the connection is silently dead for both peers.
   */
  public void blackhole() {
    LOG.info("{}: connection #{} blackholed (both directions read and discarded)",
        proxy.name(), index);
    requests.override = Fault.Kind.DISCARD;
    responses.override = Fault.Kind.DISCARD;
  }

  /** From now on, throw away what arrives in {@code direction} without closing. */
  public void discard(Direction direction) {
    LOG.info("{}: connection #{} discards {}", proxy.name(), index, direction);
    pump(direction).override = Fault.Kind.DISCARD;
  }

  /**
   * From now on, stop reading in both directions without closing. A pump blocked in a read
   * takes one more chunk (thrown away, never forwarded) before it stops.
   */
  public void stall() {
    stall(Direction.CLIENT_TO_SERVER);
    stall(Direction.SERVER_TO_CLIENT);
  }

  /** Like {@link #stall()} for one direction. */
  public void stall(Direction direction) {
    LOG.info("{}: connection #{} stalls {}", proxy.name(), index, direction);
    pump(direction).override = Fault.Kind.STALL;
  }

  /** Closes both sockets now with {@code SO_LINGER 0}: both peers get an RST. */
  public void reset() {
    close("reset by the test", true);
  }

  /** Waits up to {@code timeout} for the proxy to close this connection. */
  public boolean awaitClosed(Duration timeout) throws InterruptedException {
    return closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private Pump pump(Direction direction) {
    return direction == Direction.CLIENT_TO_SERVER ? requests : responses;
  }

  private void clientGone() {
    if (clientGoneNanos == 0) {
      clientGoneNanos = System.nanoTime();
    }
  }

  /** Closes both sockets (idempotent); {@code reset} sends RSTs instead of FINs. */
  void close(String reason, boolean reset) {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    closeReason = reason;
    if (reset) {
      lingerZero(client);
      lingerZero(server);
    }
    closeQuietly(client);
    closeQuietly(server);
    closed.countDown();
    proxy.connectionClosed(this);
    LOG.debug("{}: connection #{} closed: {}", proxy.name(), index, reason);
  }

  private static void lingerZero(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException e) {
      // already closed: nothing to reset
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing is all we wanted
    }
  }

  @Override
  public String toString() {
    return "#" + index + " (" + plan + ", " + (isOpen() ? "open" : "closed: " + closeReason)
        + ", requests " + requests + ", responses " + responses + ")";
  }

  /** Moves the bytes of one direction, applying its fault; runs on its own thread. */
  private final class Pump implements Runnable {
    final Direction direction;
    final Socket from;
    final Socket to;
    final Fault scripted;
    final AtomicLong forwarded = new AtomicLong();
    final AtomicLong discarded = new AtomicLong();
    /** Set by a test (DISCARD or STALL); wins over the scripted fault from the next chunk on. */
    volatile Fault.Kind override;
    /** End of stream seen; read by the other pump to decide who closes. */
    volatile boolean ended;
    /** Pump thread only: bytes counted towards the scripted fault, and whether it started. */
    private long passed;
    private boolean triggered;

    Pump(Direction direction, Socket from, Socket to, Fault scripted) {
      this.direction = direction;
      this.from = from;
      this.to = to;
      this.scripted = scripted;
    }

    @Override
    public void run() {
      try {
        move(from.getInputStream(), to.getOutputStream());
      } catch (ReadFailed | WriteFailed e) {
        if (closing.get()) {
          return; // our own close ended the blocked read or write
        }
        // The client's socket is read by the request pump and written by the response pump.
        boolean clientSocket = e instanceof ReadFailed
            ? direction == Direction.CLIENT_TO_SERVER : direction == Direction.SERVER_TO_CLIENT;
        if (clientSocket) {
          clientGone();
        }
        // Pass an abort on as an abort, as a router between the two would.
        close(direction + " " + e.getMessage() + ": " + e.getCause(), true);
      } catch (IOException e) {
        close(direction + " could not start: " + e, true);
      } catch (RuntimeException | Error e) {
        LOG.error("{}: pump {} of connection #{} failed", proxy.name(), direction, index, e);
        close(direction + " failed: " + e, true);
      }
    }

    private Fault.Kind effective() {
      Fault.Kind o = override;
      return o != null ? o : triggered ? scripted.kind() : Fault.Kind.PASS;
    }

    private void move(InputStream in, OutputStream out) throws IOException {
      if (scripted.kind() != Fault.Kind.PASS && scripted.afterBytes() == 0 && !trigger()) {
        return;
      }
      byte[] chunk = new byte[CHUNK];
      while (!closing.get()) {
        if (effective() == Fault.Kind.STALL) {
          awaitClose();
          return;
        }
        int n = read(in, chunk);
        if (n < 0) {
          endOfStream();
          return;
        }
        int start = 0;
        if (override == null && !triggered && scripted.kind() != Fault.Kind.PASS) {
          start = (int) Math.min(n, scripted.afterBytes() - passed);
          forward(out, chunk, 0, start);
          passed += start;
          if (passed >= scripted.afterBytes() && !trigger()) {
            return;
          }
        }
        if (start < n && !apply(effective(), out, chunk, start, n - start)) {
          return;
        }
      }
    }

    /** Starts the scripted fault; false when it ended the connection. */
    private boolean trigger() {
      triggered = true;
      proxy.faultStarted(scripted.kind());
      LOG.debug("{}: connection #{} {}: {} starts", proxy.name(), index, direction, scripted);
      if (scripted.kind() == Fault.Kind.RESET) {
        close(direction + " " + scripted, true);
        return false;
      }
      if (scripted.kind() == Fault.Kind.TRUNCATE) {
        close(direction + " " + scripted, false);
        return false;
      }
      return true;
    }

    /** Handles {@code length} bytes under {@code kind}; false when the pump must stop. */
    private boolean apply(Fault.Kind kind, OutputStream out, byte[] chunk, int offset,
        int length) throws WriteFailed {
      switch (kind) {
        case PASS -> forward(out, chunk, offset, length);
        case DELAY -> {
          if (!hold(scripted.delayMillis())) {
            return false;
          }
          forward(out, chunk, offset, length);
        }
        case DISCARD, STALL -> {
          discarded.addAndGet(length);
          proxy.countDiscarded(direction, length);
        }
        default -> {
          return false; // RESET and TRUNCATE closed the connection already
        }
      }
      return true;
    }

    private void endOfStream() {
      if (direction == Direction.CLIENT_TO_SERVER) {
        clientGone();
      }
      Fault.Kind kind = effective();
      if (kind == Fault.Kind.PASS || kind == Fault.Kind.DELAY) {
        try {
          to.shutdownOutput(); // pass the FIN on; the other direction may still carry data
        } catch (IOException e) {
          // the other side is gone already; the other pump will notice
        }
      }
      ended = true;
      if (pump(direction == Direction.CLIENT_TO_SERVER
          ? Direction.SERVER_TO_CLIENT : Direction.CLIENT_TO_SERVER).ended) {
        close("both sides closed", false);
      }
    }

    private int read(InputStream in, byte[] chunk) throws ReadFailed {
      try {
        return in.read(chunk);
      } catch (IOException e) {
        throw new ReadFailed(e);
      }
    }

    private void forward(OutputStream out, byte[] chunk, int offset, int length)
        throws WriteFailed {
      if (length == 0) {
        return;
      }
      try {
        out.write(chunk, offset, length);
      } catch (IOException e) {
        throw new WriteFailed(e);
      }
      forwarded.addAndGet(length);
      proxy.countForwarded(direction, length);
    }

    /** Waits {@code millis} unless the connection closes first; false when it closed. */
    private boolean hold(long millis) {
      try {
        return !closed.await(millis, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close("interrupted", true);
        return false;
      }
    }

    private void awaitClose() {
      try {
        closed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close("interrupted", true);
      }
    }

    @Override
    public String toString() {
      return forwarded.get() + " B forwarded, " + discarded.get() + " B discarded";
    }
  }

  /** Reading the source socket failed; a close by us is not reported this way. */
  private static final class ReadFailed extends IOException {
    private static final long serialVersionUID = 1L;

    ReadFailed(IOException cause) {
      super("read failed", cause);
    }
  }

  /** Writing the destination socket failed. */
  private static final class WriteFailed extends IOException {
    private static final long serialVersionUID = 1L;

    WriteFailed(IOException cause) {
      super("write failed", cause);
    }
  }
}
