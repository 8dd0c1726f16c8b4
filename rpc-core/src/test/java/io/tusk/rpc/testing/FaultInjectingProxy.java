package io.tusk.rpc.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on 127.0.0.1 (ephemeral port) in front of one target address, that breaks the
 * connections it carries the way networks and half-dead hosts do: resets, silent drops (bytes
 * read and discarded, or no longer read), delays and truncation. Clients connect to
 * {@link #address()} instead of the server's.
 *
 * <p>Each accepted connection gets a {@link FaultPlan} from the current {@link Planner} (pass-
 * through by default; {@link RandomFaults} draws them from a seeded {@link java.util.Random}); a
 * test may also break a connection while it runs through its {@link ProxiedConnection} handle
 * ({@link ProxiedConnection#blackhole()} and friends). Counters (connections accepted and open,
 * bytes forwarded and discarded each way, faults started by kind) serve assertions.
 *
 * <p>Threads, all daemons named {@code <name>-proxy-...@<port>}: one acceptor (which also connects
 * to the target, a loopback connect), and two pumps per proxied connection (see {@link
 * ProxiedConnection}). The planner runs on the acceptor, so a seeded planner hands out the same
 * plans in the same order every run. {@link #close()} closes every socket and joins every thread.
 */
public final class FaultInjectingProxy implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FaultInjectingProxy.class);
  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final long JOIN_TIMEOUT_MS = 10_000;

  /** A direction of a proxied connection. */
  public enum Direction { CLIENT_TO_SERVER, SERVER_TO_CLIENT }

  /**
   * Chooses the plan of each accepted connection; runs on the acceptor thread, one connection
   * at a time, in the order they were accepted.
   */
  @FunctionalInterface
  public interface Planner {
    /** The plan for the connection with this index (0 for the first one accepted). */
    FaultPlan plan(int index);
  }

  /** Every connection passes untouched. */
  public static final Planner PASS_THROUGH = new Planner() {
    @Override
    public FaultPlan plan(int index) {
      return FaultPlan.pass();
    }

    @Override
    public String toString() {
      return "pass-through";
    }
  };

  private final String name;
  private final InetSocketAddress target;
  private final ServerSocket listener;
  private final InetSocketAddress address;
  private final Thread acceptor;
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private final List<ProxiedConnection> connections = new CopyOnWriteArrayList<>();
  private final AtomicInteger open = new AtomicInteger();
  private final Map<Direction, LongAdder> forwarded = counters(Direction.class);
  private final Map<Direction, LongAdder> discarded = counters(Direction.class);
  private final Map<Fault.Kind, LongAdder> faults = counters(Fault.Kind.class);
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Planner planner;

  private FaultInjectingProxy(String name, InetSocketAddress target, Planner planner)
      throws IOException {
    this.name = Objects.requireNonNull(name, "name");
    this.target = Objects.requireNonNull(target, "target");
    this.planner = Objects.requireNonNull(planner, "planner");
    this.listener = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    this.address = new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    this.acceptor = new Thread(this::acceptLoop, threadName("accept"));
    acceptor.setDaemon(true);
    acceptor.start();
    LOG.info("{}: proxying {} -> {} ({})", name, address, target, planner);
  }

  /** A pass-through proxy in front of {@code target}; faults can be set later. */
  public static FaultInjectingProxy start(String name, InetSocketAddress target)
      throws IOException {
    return start(name, target, PASS_THROUGH);
  }

  /** A proxy in front of {@code target} whose connections get the plans {@code planner} draws. */
  public static FaultInjectingProxy start(String name, InetSocketAddress target, Planner planner)
      throws IOException {
    return new FaultInjectingProxy(name, target, planner);
  }

  private static <K extends Enum<K>> Map<K, LongAdder> counters(Class<K> keys) {
    Map<K, LongAdder> map = new EnumMap<>(keys);
    for (K key : keys.getEnumConstants()) {
      map.put(key, new LongAdder());
    }
    return map; // never changed after this, so reading it from any thread is safe
  }

  /** The address clients connect to (127.0.0.1 and an ephemeral port). */
  public InetSocketAddress address() {
    return address;
  }

  /** The address connections are proxied to. */
  public InetSocketAddress target() {
    return target;
  }

  /** The name in this proxy's thread names and log lines. */
  public String name() {
    return name;
  }

  /** Replaces the planner for connections accepted from now on. */
  public void planner(Planner planner) {
    LOG.info("{}: new connections get plans from {}", name, planner);
    this.planner = Objects.requireNonNull(planner, "planner");
  }

  /** Connections accepted (and proxied) so far. */
  public int accepted() {
    return connections.size();
  }

  /** Connections accepted and not yet closed by the proxy. */
  public int openConnections() {
    return open.get();
  }

  /** Every connection accepted so far, in order (a snapshot). */
  public List<ProxiedConnection> connections() {
    return List.copyOf(connections);
  }

  /** The connection with this index; it must have been accepted. */
  public ProxiedConnection connection(int index) {
    return connections.get(index);
  }

  /** The connections still open (a snapshot). */
  public List<ProxiedConnection> openConnectionList() {
    return connections.stream().filter(ProxiedConnection::isOpen).toList();
  }

  /** Waits until the connection with this index has been accepted, and returns it. */
  public ProxiedConnection awaitConnection(int index, Duration timeout) {
    Await.until(timeout, name + " to accept connection #" + index,
        () -> connections.size() > index);
    return connections.get(index);
  }

  /** Bytes passed on in {@code direction}, over all connections. */
  public long bytesForwarded(Direction direction) {
    return forwarded.get(direction).sum();
  }

  /** Bytes read in {@code direction} and thrown away by faults, over all connections. */
  public long bytesDiscarded(Direction direction) {
    return discarded.get(direction).sum();
  }

  /** How many scripted faults of {@code kind} have started (per direction of a connection). */
  public long faultsStarted(Fault.Kind kind) {
    return faults.get(kind).sum();
  }

  /** Counters in one line, for logs and assertion messages. */
  public String summary() {
    StringBuilder sb = new StringBuilder(name).append(": ").append(accepted())
        .append(" connections accepted, ").append(openConnections()).append(" open; requests ")
        .append(bytesForwarded(Direction.CLIENT_TO_SERVER)).append(" B forwarded, ")
        .append(bytesDiscarded(Direction.CLIENT_TO_SERVER)).append(" B discarded; responses ")
        .append(bytesForwarded(Direction.SERVER_TO_CLIENT)).append(" B forwarded, ")
        .append(bytesDiscarded(Direction.SERVER_TO_CLIENT)).append(" B discarded; faults");
    for (Fault.Kind kind : Fault.Kind.values()) {
      if (kind != Fault.Kind.PASS) {
        sb.append(' ').append(kind).append('=').append(faultsStarted(kind));
      }
    }
    return sb.toString();
  }

  private void acceptLoop() {
    while (!closed.get()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        if (!closed.get()) {
          LOG.error("{}: accept failed; the proxy stops accepting", name, e);
        }
        return;
      }
      Socket server = new Socket();
      try {
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        server.connect(target, CONNECT_TIMEOUT_MS);
      } catch (IOException e) {
        LOG.warn("{}: could not connect to {} for a client: {}", name, target, e.toString());
        abort(client);
        abort(server);
        continue;
      }
      int index = connections.size(); // only this thread adds
      FaultPlan plan;
      try {
        plan = planner.plan(index);
      } catch (RuntimeException e) {
        LOG.error("{}: planner failed for connection #{}; passing it through", name, index, e);
        plan = FaultPlan.pass();
      }
      LOG.debug("{}: connection #{} from {}: {}", name, index, client.getRemoteSocketAddress(),
          plan);
      ProxiedConnection connection = new ProxiedConnection(this, index, plan, client, server);
      open.incrementAndGet();
      connections.add(connection);
      connection.start();
    }
  }

  private static void abort(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException e) {
      // not connected: a plain close will do
    }
    try {
      socket.close();
    } catch (IOException e) {
      // nothing more to do
    }
  }

  private String threadName(String role) {
    return name + "-proxy-" + role + "@" + address.getPort();
  }

  /** Starts a named daemon thread that this proxy joins on close. */
  void startThread(String role, Runnable body) {
    Thread thread = new Thread(() -> {
      try {
        body.run();
      } finally {
        threads.remove(Thread.currentThread());
      }
    }, threadName(role));
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  void connectionClosed(ProxiedConnection connection) {
    open.decrementAndGet();
  }

  void countForwarded(Direction direction, int bytes) {
    forwarded.get(direction).add(bytes);
  }

  void countDiscarded(Direction direction, int bytes) {
    discarded.get(direction).add(bytes);
  }

  void faultStarted(Fault.Kind kind) {
    faults.get(kind).increment();
  }

  /**
   * Stops accepting, closes every proxied connection (normally, FIN to both peers) and joins
   * every thread, waiting at most ten seconds in all. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_TIMEOUT_MS);
    try {
      listener.close();
    } catch (IOException e) {
      LOG.debug("{}: closing the listener: {}", name, e.toString());
    }
    boolean interrupted = join(acceptor, deadline);
    // The acceptor has ended, so no connection is added after this snapshot.
    for (ProxiedConnection connection : connections) {
      connection.close("proxy closed", false);
    }
    for (Thread thread : List.copyOf(threads)) {
      interrupted |= join(thread, deadline);
    }
    LOG.info("{} (closed)", summary());
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Joins {@code thread} until {@code deadline}; true when interrupted. */
  private boolean join(Thread thread, long deadline) {
    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    try {
      if (left > 0) {
        thread.join(left);
      }
    } catch (InterruptedException e) {
      return true;
    }
    if (thread.isAlive()) {
      LOG.warn("{}: thread {} did not end after close", name, thread.getName());
    }
    return false;
  }

  @Override
  public String toString() {
    return "FaultInjectingProxy[" + name + " " + address + " -> " + target + "]";
  }
}
