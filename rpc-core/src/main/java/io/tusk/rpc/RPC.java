package io.tusk.rpc;

import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ClientOptions;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.conf.IpcKeys;
import io.tusk.rpc.intercept.VerboseLogging;
import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.ServiceLoader;
import java.util.Set;
import javax.net.SocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The facade users call, with Hadoop's names: client proxies ({@link #getProxy},
 * {@link #getProtocolProxy}, {@link #waitForProxy}, {@link #stopProxy}), servers
 * ({@link Builder}, {@link Server}), parallel calls ({@link #call}), engine selection per protocol
 * interface, protocol names and versions.
 *
 * <p>Engine choice: the setting {@code rpc.engine.<protocol class name>} names an {@link RpcEngine}
 * class; when it is unset the engine of kind {@link RpcKind#RPC_WRITABLE} found through
 * {@link ServiceLoader} is used, as Hadoop defaults to its Writable engine.
 *
 * <p>Clients: proxies share {@link Client}s through one {@link ClientCache} (one client per socket
 * factory and client settings); each proxy holds a reference and {@link #stopProxy} gives it back,
 * so stopping the last proxy of a client closes it and its threads.
 */
public final class RPC {
  private static final Logger LOG = LoggerFactory.getLogger(RPC.class);

  private RPC() {}

  /** The clients behind every facade proxy. */
  private static final ClientCache CLIENTS = new ClientCache("tusk-rpc-client");
  private static final ProxyLeases PROXIES = new ProxyLeases(CLIENTS);

  /** One engine instance per engine class; engines are stateless or thread-safe by contract. */
  private static final ClassValue<RpcEngine> ENGINES = new ClassValue<>() {
    @Override
    protected RpcEngine computeValue(Class<?> type) {
      try {
        return (RpcEngine) type.getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot create RPC engine " + type.getName()
            + ": it needs a public no-argument constructor", e);
      }
    }
  };

  /**
   * The client asked for a protocol version the server does not host. Travels as Hadoop's
   * {@code org.apache.hadoop.ipc.RPC$VersionMismatch} with ERROR_RPC_VERSION_MISMATCH.
   */
  @WireName("org.apache.hadoop.ipc.RPC$VersionMismatch")
  public static class VersionMismatch extends RpcServerException {
    private static final long serialVersionUID = 1L;

    private final String interfaceName;
    private final long clientVersion;
    private final long serverVersion;

    /** Hadoop's message: {@code Protocol NAME version mismatch. (client = C, server = S)}. */
    public VersionMismatch(String interfaceName, long clientVersion, long serverVersion) {
      super("Protocol " + interfaceName + " version mismatch. (client = " + clientVersion
          + ", server = " + serverVersion + ")",
          io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto
              .ERROR_RPC_VERSION_MISMATCH);
      this.interfaceName = interfaceName;
      this.clientVersion = clientVersion;
      this.serverVersion = serverVersion;
    }

    /** Built from a remote message when unwrapping; the versions are then unknown (-1). */
    public VersionMismatch(String message) {
      super(message, io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto
          .ERROR_RPC_VERSION_MISMATCH);
      this.interfaceName = null;
      this.clientVersion = -1;
      this.serverVersion = -1;
    }

    public String getInterfaceName() {
      return interfaceName;
    }

    public long getClientVersion() {
      return clientVersion;
    }

    public long getServerVersion() {
      return serverVersion;
    }
  }

  /** Chooses the engine for {@code protocol}: see the class comment. */
  public static RpcEngine getProtocolEngine(Class<?> protocol, Configuration conf) {
    Class<? extends RpcEngine> type = conf.getClass(IpcKeys.RPC_ENGINE_PREFIX + protocol.getName(),
        null, RpcEngine.class);
    if (type != null) {
      return ENGINES.get(type);
    }
    return defaultEngine(RpcKind.RPC_WRITABLE);
  }

  /** Records in {@code conf} that {@code protocol} uses {@code engine}. */
  public static void setProtocolEngine(Configuration conf, Class<?> protocol,
      Class<? extends RpcEngine> engine) {
    conf.setClass(IpcKeys.RPC_ENGINE_PREFIX + protocol.getName(), engine, RpcEngine.class);
  }

  /** The engines listed for {@link ServiceLoader}, found once, when first needed. */
  private static final class Listed {
    static final EngineRegistry ENGINES = EngineRegistry.load(RPC.class.getClassLoader(),
        RPC.ENGINES::get);
  }

  /** The engine of {@code kind} found through {@link ServiceLoader} (scanned once). */
  public static RpcEngine defaultEngine(RpcKind kind) {
    RpcEngine engine = Listed.ENGINES.forKind(kind);
    if (engine != null) {
      return engine;
    }
    throw new IllegalStateException("no RPC engine registered for " + kind + " — is "
        + (kind == RpcKind.RPC_PROTOCOL_BUFFER ? "rpc-engine-protobuf" : "rpc-engine-writable")
        + " on the classpath? (or set " + IpcKeys.RPC_ENGINE_PREFIX + "<protocol>)");
  }

  /** The wire name of a protocol: {@link ProtocolInfo#protocolName()} or the class name. */
  public static String getProtocolName(Class<?> protocol) {
    return io.tusk.rpc.internal.ProtocolNames.of(protocol);
  }

  /**
   * The version of a protocol: {@link ProtocolInfo#protocolVersion()} when set, else its static
   * {@code versionID} field.
   *
   * @throws IllegalArgumentException when neither is present
   */
  public static long getProtocolVersion(Class<?> protocol) {
    ProtocolInfo info = protocol.getAnnotation(ProtocolInfo.class);
    if (info != null && info.protocolVersion() != -1) {
      return info.protocolVersion();
    }
    try {
      Field field = protocol.getField("versionID");
      if (Modifier.isStatic(field.getModifiers())) {
        return field.getLong(null);
      }
    } catch (NoSuchFieldException | IllegalAccessException e) {
      // fall through to the error below
    }
    throw new IllegalArgumentException(protocol.getName() + " has no version: annotate it with "
        + "@ProtocolInfo(protocolVersion = ...) or declare a static long versionID");
  }

  // ---- client proxies ----

  /** A proxy for {@code protocol} on {@code addr}, with the settings of {@code conf}. */
  public static <T> T getProxy(Class<T> protocol, long clientVersion, InetSocketAddress addr,
      Configuration conf) throws IOException {
    return getProtocolProxy(protocol, clientVersion, addr, conf).getProxy();
  }

  /** Like {@link #getProxy(Class, long, InetSocketAddress, Configuration)} with a socket factory. */
  public static <T> T getProxy(Class<T> protocol, long clientVersion, InetSocketAddress addr,
      Configuration conf, SocketFactory factory) throws IOException {
    return getProtocolProxy(protocol, clientVersion, addr, defaultUser(), conf, factory,
        rpcTimeout(conf)).getProxy();
  }

  /** Like {@link #getProxy(Class, long, InetSocketAddress, Configuration)} for {@code user}. */
  public static <T> T getProxy(Class<T> protocol, long clientVersion, InetSocketAddress addr,
      String user, Configuration conf, SocketFactory factory) throws IOException {
    return getProtocolProxy(protocol, clientVersion, addr, user, conf, factory, rpcTimeout(conf))
        .getProxy();
  }

  /**
   * A proxy for {@code protocol} on {@code addr}.
   *
   * @param clientVersion the protocol version the proxy speaks (normally the protocol's own)
   * @param user the effective user sent in the connection context; null = the current OS user
   * @param factory creates the client's sockets; clients are shared per factory
   * @param rpcTimeout how long a call waits for its answer, in ms; 0 = no limit
   */
  public static <T> T getProxy(Class<T> protocol, long clientVersion, InetSocketAddress addr,
      String user, Configuration conf, SocketFactory factory, int rpcTimeout) throws IOException {
    return getProtocolProxy(protocol, clientVersion, addr, user, conf, factory, rpcTimeout)
        .getProxy();
  }

  /** Like {@link #getProxy(Class, long, InetSocketAddress, Configuration)}, with method checks. */
  public static <T> ProtocolProxy<T> getProtocolProxy(Class<T> protocol, long clientVersion,
      InetSocketAddress addr, Configuration conf) throws IOException {
    return getProtocolProxy(protocol, clientVersion, addr, defaultUser(), conf,
        SocketFactory.getDefault(), rpcTimeout(conf));
  }

  /** Like {@link #getProtocolProxy(Class, long, InetSocketAddress, Configuration)}, fuller. */
  public static <T> ProtocolProxy<T> getProtocolProxy(Class<T> protocol, long clientVersion,
      InetSocketAddress addr, String user, Configuration conf, SocketFactory factory)
      throws IOException {
    return getProtocolProxy(protocol, clientVersion, addr, user, conf, factory, rpcTimeout(conf));
  }

  /**
   * A proxy for {@code protocol} on {@code addr} (see
   * {@link #getProxy(Class, long, InetSocketAddress, String, Configuration, SocketFactory, int)}
   * for the parameters), with {@link ProtocolProxy#isMethodSupported}. Creating it does not
   * connect: the first call does.
   */
  public static <T> ProtocolProxy<T> getProtocolProxy(Class<T> protocol, long clientVersion,
      InetSocketAddress addr, String user, Configuration conf, SocketFactory factory,
      int rpcTimeout) throws IOException {
    RpcEngine engine = getProtocolEngine(protocol, conf);
    ConnectionId remote = new ConnectionId(resolve(addr), getProtocolName(protocol),
        user != null ? user : defaultUser());
    Client client = CLIENTS.acquire(clientOptions(conf, rpcTimeout), factory);
    try {
      T proxy = engine.getProxy(protocol, clientVersion, remote, client);
      PROXIES.bind(proxy, client, remote);
      return new ProtocolProxy<>(protocol, proxy,
          VersionedProtocol.class.isAssignableFrom(protocol));
    } catch (IOException | RuntimeException e) {
      CLIENTS.release(client);
      throw e;
    }
  }

  /** {@link #waitForProxy(Class, long, InetSocketAddress, Configuration, long)} without a limit. */
  public static <T> T waitForProxy(Class<T> protocol, long clientVersion, InetSocketAddress addr,
      Configuration conf) throws IOException {
    return waitForProtocolProxy(protocol, clientVersion, addr, conf, rpcTimeout(conf),
        Long.MAX_VALUE).getProxy();
  }

  /**
   * A proxy for {@code protocol} once the server at {@code addr} accepts connections: while it
   * refuses them (or times out), tries again every {@code ipc.client.connect.retry.interval} ms
   * until {@code timeoutMs} have passed.
   *
   * @throws java.net.ConnectException naming the server and the time waited when it never came up
   * @throws java.io.InterruptedIOException when the calling thread is interrupted while waiting
   */
  public static <T> T waitForProxy(Class<T> protocol, long clientVersion, InetSocketAddress addr,
      Configuration conf, long timeoutMs) throws IOException {
    return waitForProtocolProxy(protocol, clientVersion, addr, conf, rpcTimeout(conf), timeoutMs)
        .getProxy();
  }

  /** Like {@link #waitForProxy(Class, long, InetSocketAddress, Configuration, long)}. */
  public static <T> T waitForProxy(Class<T> protocol, long clientVersion, InetSocketAddress addr,
      Configuration conf, int rpcTimeout, long timeoutMs) throws IOException {
    return waitForProtocolProxy(protocol, clientVersion, addr, conf, rpcTimeout, timeoutMs)
        .getProxy();
  }

  /**
   * Like {@link #waitForProxy(Class, long, InetSocketAddress, Configuration, long)}, returning the
   * {@link ProtocolProxy}.
   */
  public static <T> ProtocolProxy<T> waitForProtocolProxy(Class<T> protocol, long clientVersion,
      InetSocketAddress addr, Configuration conf, int rpcTimeout, long timeoutMs)
      throws IOException {
    return waitForProtocolProxy(protocol, clientVersion, addr, conf, SocketFactory.getDefault(),
        rpcTimeout, timeoutMs);
  }

  /**
   * Like {@link #waitForProxy(Class, long, InetSocketAddress, Configuration, long)}, returning the
   * {@link ProtocolProxy}, with a socket factory. The server counts as up when a TCP connection to
   * it, made with {@code factory}, succeeds (it is closed at once); the proxy is created after
   * that.
   */
  public static <T> ProtocolProxy<T> waitForProtocolProxy(Class<T> protocol, long clientVersion,
      InetSocketAddress addr, Configuration conf, SocketFactory factory, int rpcTimeout,
      long timeoutMs) throws IOException {
    ClientOptions options = clientOptions(conf, rpcTimeout);
    ServerWaiter.await(resolve(addr), factory, options, timeoutMs);
    return getProtocolProxy(protocol, clientVersion, addr, defaultUser(), conf, factory,
        rpcTimeout);
  }

  /**
   * Stops a proxy made by this facade: gives back its client reference (the last one closes the
   * client and its threads). Stopping twice is harmless. Any other proxy is closed when it, or its
   * invocation handler, is {@link Closeable}.
   *
   * @throws IllegalArgumentException when {@code proxy} is null or cannot be closed
   */
  public static void stopProxy(Object proxy) {
    if (proxy == null) {
      throw new IllegalArgumentException("Cannot close proxy since it is null");
    }
    boolean stopped = PROXIES.stop(proxy);
    Closeable closeable = proxy instanceof Closeable c ? c : null;
    if (closeable == null && Proxy.isProxyClass(proxy.getClass())) {
      InvocationHandler handler = Proxy.getInvocationHandler(proxy);
      closeable = handler instanceof Closeable c ? c : null;
    }
    if (closeable != null) {
      try {
        closeable.close();
      } catch (IOException e) {
        LOG.warn("closing proxy {} failed", proxy.getClass().getName(), e);
      }
    } else if (!stopped) {
      throw new IllegalArgumentException("Cannot close proxy - is not Closeable or does not "
          + "provide closeable invocation handler " + proxy.getClass());
    }
  }

  /** The server address a facade proxy talks to. */
  public static InetSocketAddress getServerAddress(Object proxy) {
    ProxyLeases.Lease lease = PROXIES.get(proxy);
    if (lease == null) {
      throw new IllegalArgumentException("not a proxy made by RPC: " + proxy.getClass());
    }
    return lease.remote.address();
  }

  /** The cache of the clients behind facade proxies (for monitoring and tests). */
  public static ClientCache clientCache() {
    return CLIENTS;
  }

  // ---- parallel calls ----

  /**
   * Calls {@code method} on several servers at once: {@code params[i]} goes to {@code addrs[i]},
   * all calls are in flight together, and the results come back in the same order (a box for
   * primitives, null for void). Only engines that implement {@link RpcEngine#callAsync} (the
   * Writable engine) support it.
   *
   * @throws IOException the first failure in address order, naming that server and method
   * @throws UnsupportedOperationException when the protocol's engine cannot make such calls
   */
  public static Object[] call(Method method, Object[][] params, InetSocketAddress[] addrs,
      Configuration conf) throws IOException {
    RpcEngine engine = getProtocolEngine(method.getDeclaringClass(), conf);
    ClientOptions options = ClientOptions.fromConfiguration(conf);
    Client client = CLIENTS.acquire(options, SocketFactory.getDefault());
    try {
      return ParallelCall.call(engine, client, method, params, addrs, defaultUser(),
          options.rpcTimeout());
    } finally {
      CLIENTS.release(client);
    }
  }

  // ---- helpers ----

  static InetSocketAddress resolve(InetSocketAddress addr) throws UnknownHostException {
    if (!addr.isUnresolved()) {
      return addr;
    }
    InetSocketAddress resolved = new InetSocketAddress(addr.getHostString(), addr.getPort());
    if (resolved.isUnresolved()) {
      throw new UnknownHostException("cannot resolve " + addr.getHostString() + " (server "
          + addr + ")");
    }
    return resolved;
  }

  private static String defaultUser() {
    return System.getProperty("user.name", "unknown");
  }

  private static int rpcTimeout(Configuration conf) {
    return conf.getInt(IpcKeys.CLIENT_RPC_TIMEOUT_MS, IpcKeys.CLIENT_RPC_TIMEOUT_MS_DEFAULT);
  }

  private static ClientOptions clientOptions(Configuration conf, int rpcTimeoutMs) {
    return ClientOptions.fromConfiguration(conf)
        .withRpcTimeout(Duration.ofMillis(Math.max(0, rpcTimeoutMs)));
  }

  // ---- servers ----

  /**
   * Builds an RPC {@link Server}, as Hadoop's {@code RPC.Builder}: a Tusk server hosting
   * {@code instance} for {@code protocol} through the engine {@link #getProtocolEngine} chooses.
   * Settings not given come from the configuration ({@code ipc.server.*}); the bind address
   * defaults to 127.0.0.1 and the port to an ephemeral one.
   */
  public static final class Builder {
    private final Configuration conf;
    private Class<?> protocol;
    private Object instance;
    private String bindAddress;
    private Integer port;
    private Integer numHandlers;
    private Integer numReaders;
    private Integer queueSizePerHandler;
    private boolean verbose;
    private String name;

    public Builder(Configuration conf) {
      this.conf = new Configuration(conf);
    }

    /** The protocol interface to host (required). */
    public Builder setProtocol(Class<?> protocol) {
      this.protocol = protocol;
      return this;
    }

    /** The object implementing the protocol (required). */
    public Builder setInstance(Object instance) {
      this.instance = instance;
      return this;
    }

    public Builder setBindAddress(String bindAddress) {
      this.bindAddress = bindAddress;
      return this;
    }

    public Builder setPort(int port) {
      this.port = port;
      return this;
    }

    public Builder setNumHandlers(int numHandlers) {
      this.numHandlers = numHandlers;
      return this;
    }

    public Builder setNumReaders(int numReaders) {
      this.numReaders = numReaders;
      return this;
    }

    public Builder setQueueSizePerHandler(int queueSizePerHandler) {
      this.queueSizePerHandler = queueSizePerHandler;
      return this;
    }

    /** Log every call and its return value at INFO (logger {@code io.tusk.rpc.RPC}). */
    public Builder setVerbose(boolean verbose) {
      this.verbose = verbose;
      return this;
    }

    /** Tusk only: the name in the server's thread names (default {@code tusk}). */
    public Builder setName(String name) {
      this.name = name;
      return this;
    }

    /**
     * Creates the server (not started) with the protocol's engine registered and the protocol
     * hosted.
     *
     * @throws IllegalArgumentException when the protocol or instance is missing or does not fit
     */
    public Server build() throws IOException {
      if (protocol == null) {
        throw new IllegalArgumentException("protocol is not set");
      }
      if (instance == null) {
        throw new IllegalArgumentException("instance is not set");
      }
      RpcEngine engine = getProtocolEngine(protocol, conf);
      io.tusk.rpc.server.Server.Builder b = io.tusk.rpc.server.Server.builder().configuration(conf);
      if (bindAddress != null) {
        b.bindAddress(bindAddress);
      }
      if (port != null) {
        b.port(port);
      }
      if (numHandlers != null) {
        b.handlerCount(numHandlers);
      }
      if (numReaders != null) {
        b.readerCount(numReaders);
      }
      if (queueSizePerHandler != null) {
        b.queueSizePerHandler(queueSizePerHandler);
      }
      if (name != null) {
        b.name(name);
      }
      if (verbose) {
        b.interceptor(VerboseLogging.INSTANCE);
      }
      Server server = new Server(b.build(), conf);
      server.addProtocol(engine, protocol, instance);
      for (RpcEngine available : Listed.ENGINES.all()) {
        available.addBuiltinProtocols(server);
      }
      return server;
    }
  }

  /**
   * What {@link Builder#build()} returns: a Tusk {@link io.tusk.rpc.server.Server} plus
   * {@link #addProtocol(RpcKind, Class, Object)}, which picks the engine for the kind, registers it
   * once and hosts the protocol. Lifecycle methods delegate to the Tusk server ({@link #server()}),
   * with Hadoop's names where Hadoop has them ({@link #stop()}, {@link #join()}).
   */
  public static final class Server implements AutoCloseable {
    private final io.tusk.rpc.server.Server server;
    private final Configuration conf;
    private final Set<RpcKind> registered = EnumSet.noneOf(RpcKind.class);

    private Server(io.tusk.rpc.server.Server server, Configuration conf) {
      this.server = server;
      this.conf = conf;
    }

    /**
     * Hosts {@code implementation} for {@code protocol} with the engine of {@code kind}: the one
     * {@code rpc.engine.<protocol>} names if it is of that kind, else the default engine of the
     * kind. May be called before or after {@link #start()}.
     */
    public Server addProtocol(RpcKind kind, Class<?> protocol, Object implementation) {
      RpcEngine engine = getProtocolEngine(protocol, conf);
      addProtocol(engine.rpcKind() == kind ? engine : defaultEngine(kind), protocol,
          implementation);
      return this;
    }

    private synchronized void addProtocol(RpcEngine engine, Class<?> protocol,
        Object implementation) {
      if (registered.add(engine.rpcKind())) {
        server.registerEngine(engine.serverRegistration());
      }
      engine.addProtocol(server, protocol, implementation);
    }

    /** Binds and starts the server's threads. */
    public Server start() throws IOException {
      server.start();
      return this;
    }

    /** Hadoop's name for {@link #close()}. */
    public void stop() {
      close();
    }

    /** Waits until the server has stopped. */
    public void join() throws InterruptedException {
      while (!server.awaitTermination(Duration.ofDays(1))) {
        // keep waiting, as Hadoop's join() does
      }
    }

    /** The address the server listens on. */
    public InetSocketAddress getListenerAddress() {
      return server.getListenerAddress();
    }

    /** The port the server listens on. */
    public int getPort() {
      return server.getListenerAddress().getPort();
    }

    /** The Tusk server behind this one. */
    public io.tusk.rpc.server.Server server() {
      return server;
    }

    /** Stops the server and joins its threads; idempotent. */
    @Override
    public void close() {
      server.close();
    }
  }
}
