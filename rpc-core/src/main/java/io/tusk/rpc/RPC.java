package io.tusk.rpc;

import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.conf.IpcKeys;
import io.tusk.rpc.security.UserIdentity;
import io.tusk.rpc.spi.BuiltinProtocols;
import io.tusk.rpc.spi.ServerEngine;
import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ServiceLoader;
import javax.net.SocketFactory;

/**
 * The facade users call, with Hadoop's names: client proxies ({@link #getProxy},
 * {@link #getProtocolProxy}, {@link #waitForProxy}, {@link #stopProxy}), servers
 * ({@link Builder}, {@link Server}), parallel calls ({@link #call}), engine selection per protocol
 * interface, protocol names and versions.
 *
 * <p>Engine choice: the setting {@code rpc.engine.<protocol class name>} names an {@link RpcEngine}
 * class; when it is unset, the engine found through {@link ServiceLoader} that
 * {@link RpcEngine#claims claims} the protocol (the protobuf engine, for an interface extending a
 * generated {@code BlockingInterface}), else the one of kind {@link RpcKind#RPC_WRITABLE}, as
 * Hadoop defaults to its Writable engine (see {@link EngineRegistry}, scanned once).
 *
 * <p>Clients: proxies share {@link io.tusk.rpc.client.Client}s through one {@link ClientCache}
 * (one client per socket factory, whatever each proxy's RPC timeout); each proxy holds a reference
 * and {@link #stopProxy} (or the proxy's own {@code close()}) gives it back, so stopping the last
 * proxy of a client closes it and its threads. The client statics live in {@code RpcProxies}; this
 * class only delegates.
 */
public final class RPC {
  private RPC() {}

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

  /**
   * Chooses the engine for {@code protocol} from the {@link EngineRegistry#defaultRegistry()
   * default registry}: see the class comment.
   */
  public static RpcEngine getProtocolEngine(Class<?> protocol, Configuration conf) {
    return EngineRegistry.defaultRegistry().forProtocol(protocol, conf);
  }

  /** Records in {@code conf} that {@code protocol} uses {@code engine}. */
  public static void setProtocolEngine(Configuration conf, Class<?> protocol,
      Class<? extends RpcEngine> engine) {
    conf.setClass(IpcKeys.RPC_ENGINE_PREFIX + protocol.getName(), engine, RpcEngine.class);
  }

  /** The engine of {@code kind} found through {@link ServiceLoader} (scanned once). */
  public static RpcEngine defaultEngine(RpcKind kind) {
    return EngineRegistry.defaultRegistry().forKind(kind);
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
    return getProtocolProxy(protocol, clientVersion, addr, (String) null, conf, factory,
        RpcProxies.rpcTimeout(conf)).getProxy();
  }

  /**
   * A proxy for {@code protocol} on {@code addr} calling as {@code user} (Hadoop's
   * {@code getProxy(protocol, version, addr, ticket, conf)} with a UGI), with the default socket
   * factory. For a proxy user ({@link UserIdentity#createProxyUser}) the connection context names
   * its real user too, and the connection is not shared with other identities.
   *
   * @param user who the proxy calls as; null = {@link UserIdentity#getCurrentUser()} now
   */
  public static <T> T getProxy(Class<T> protocol, long clientVersion, InetSocketAddress addr,
      UserIdentity user, Configuration conf) throws IOException {
    return RpcProxies.DEFAULT.getProtocolProxy(protocol, clientVersion, addr, user, conf,
        SocketFactory.getDefault(), RpcProxies.rpcTimeout(conf)).getProxy();
  }

  /** Like {@link #getProxy(Class, long, InetSocketAddress, Configuration)} for {@code user}. */
  public static <T> T getProxy(Class<T> protocol, long clientVersion, InetSocketAddress addr,
      String user, Configuration conf, SocketFactory factory) throws IOException {
    return getProtocolProxy(protocol, clientVersion, addr, user, conf, factory,
        RpcProxies.rpcTimeout(conf))
        .getProxy();
  }

  /**
   * A proxy for {@code protocol} on {@code addr}.
   *
   * @param clientVersion the protocol version the proxy speaks (normally the protocol's own)
   * @param user the effective user sent in the connection context, as a SIMPLE user; null = the
   *     {@linkplain UserIdentity#getCurrentUser() current user} when the proxy is created (the
   *     innermost {@link UserIdentity#doAs}, else {@code HADOOP_USER_NAME}, else the OS account)
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
    return getProtocolProxy(protocol, clientVersion, addr, (String) null, conf,
        SocketFactory.getDefault(), RpcProxies.rpcTimeout(conf));
  }

  /** Like {@link #getProtocolProxy(Class, long, InetSocketAddress, Configuration)}, fuller. */
  public static <T> ProtocolProxy<T> getProtocolProxy(Class<T> protocol, long clientVersion,
      InetSocketAddress addr, String user, Configuration conf, SocketFactory factory)
      throws IOException {
    return getProtocolProxy(protocol, clientVersion, addr, user, conf, factory, RpcProxies.rpcTimeout(conf));
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
    return RpcProxies.DEFAULT.getProtocolProxy(protocol, clientVersion, addr,
        RpcProxies.user(user), conf, factory, rpcTimeout);
  }

  /** {@link #waitForProxy(Class, long, InetSocketAddress, Configuration, long)} without a limit. */
  public static <T> T waitForProxy(Class<T> protocol, long clientVersion, InetSocketAddress addr,
      Configuration conf) throws IOException {
    return waitForProtocolProxy(protocol, clientVersion, addr, conf, RpcProxies.rpcTimeout(conf),
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
    return waitForProtocolProxy(protocol, clientVersion, addr, conf, RpcProxies.rpcTimeout(conf), timeoutMs)
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
    return RpcProxies.DEFAULT.waitForProtocolProxy(protocol, clientVersion, addr, conf, factory,
        rpcTimeout, timeoutMs);
  }

  /**
   * Stops a proxy made by this facade: gives back its client reference (the last one closes the
   * client and its threads). Stopping twice is harmless. Any other proxy is closed when it, or its
   * invocation handler, is {@link Closeable}.
   *
   * @throws IllegalArgumentException when {@code proxy} is null or cannot be closed
   */
  public static void stopProxy(Object proxy) {
    RpcProxies.DEFAULT.stopProxy(proxy);
  }

  /**
   * The server address a proxy talks to: that of {@link #getConnectionIdForProxy} for a proxy of
   * any engine (or a {@link ProtocolTranslator} over one), else the one a facade proxy was made
   * for.
   *
   * @throws IllegalArgumentException when {@code proxy} is neither
   */
  public static InetSocketAddress getServerAddress(Object proxy) {
    return RpcProxies.DEFAULT.serverAddress(proxy);
  }

  /**
   * The connection a proxy's calls use, as Hadoop's method of the same name: for a proxy made by
   * any engine (Writable or protobuf, through this facade or the engine's {@code newProxy}), or
   * a {@link ProtocolTranslator} over one, the {@link RpcInvocationHandler#getConnectionId} of
   * its invocation handler.
   *
   * @throws IllegalArgumentException when {@code proxy} is null or not such a proxy
   */
  public static io.tusk.rpc.client.ConnectionId getConnectionIdForProxy(Object proxy) {
    return RpcProxies.handler(proxy).getConnectionId();
  }

  /**
   * The client that carries a proxy's calls (Tusk only; Hadoop keeps its clients private): for
   * the same proxies as {@link #getConnectionIdForProxy}. The client is shared; do not close it
   * (stop the proxy with {@link #stopProxy} instead).
   *
   * @throws IllegalArgumentException when {@code proxy} is null or not such a proxy
   */
  public static io.tusk.rpc.client.Client getClient(Object proxy) {
    return RpcProxies.handler(proxy).getClient();
  }

  /** The cache of the clients behind facade proxies (for monitoring and tests). */
  public static ClientCache clientCache() {
    return RpcProxies.DEFAULT.clients();
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
    return RpcProxies.DEFAULT.call(method, params, addrs, conf);
  }

  // ---- servers ----

  /**
   * Builds an RPC {@link Server}, as Hadoop's {@code RPC.Builder}: a Tusk server hosting
   * {@code instance} for {@code protocol} through the engine its {@link EngineRegistry} chooses
   * (the {@link EngineRegistry#defaultRegistry() default} unless {@link #setEngineRegistry} gave
   * one), plus the registry's {@link BuiltinProtocols built-in protocols}.
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
    private final java.util.List<io.tusk.rpc.intercept.ServerInterceptor> interceptors =
        new java.util.ArrayList<>();
    private EngineRegistry engines;

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

    /**
     * Tusk only: adds a server interceptor around every call (see
     * {@link io.tusk.rpc.intercept.ServerInterceptor}); the first added runs outermost, inside
     * those named in {@code tusk.server.interceptors} and outside {@link #setVerbose} logging.
     */
    public Builder addInterceptor(io.tusk.rpc.intercept.ServerInterceptor interceptor) {
      interceptors.add(java.util.Objects.requireNonNull(interceptor, "interceptor"));
      return this;
    }

    /** Tusk only: the name in the server's thread names (default {@code tusk}). */
    public Builder setName(String name) {
      this.name = name;
      return this;
    }

    /**
     * Tusk only: the engines to choose from and the built-in protocols to host (default
     * {@link EngineRegistry#defaultRegistry()}); also used by the server's
     * {@link Server#addProtocol(RpcKind, Class, Object)}.
     */
    public Builder setEngineRegistry(EngineRegistry engines) {
      this.engines = java.util.Objects.requireNonNull(engines, "engines");
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
      EngineRegistry registry = engines != null ? engines : EngineRegistry.defaultRegistry();
      RpcEngine engine = registry.forProtocol(protocol, conf);
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
      for (io.tusk.rpc.intercept.ServerInterceptor interceptor : interceptors) {
        b.interceptor(interceptor);
      }
      if (verbose) {
        b.interceptor(io.tusk.rpc.intercept.VerboseLogging.INSTANCE);
      }
      Server server = new Server(b.build(), conf, registry);
      server.addProtocol(engine, protocol, instance);
      for (BuiltinProtocols builtin : registry.builtinProtocols()) {
        builtin.hostOn(server.server());
      }
      return server;
    }
  }

  /**
   * What {@link Builder#build()} returns: Hadoop-named sugar over the one core server type,
   * {@link io.tusk.rpc.server.Server} ({@link #server()}), plus
   * {@link #addProtocol(RpcKind, Class, Object)}, which picks the engine for the kind and hosts the
   * protocol through {@link io.tusk.rpc.server.Server#addProtocol}. Lifecycle methods delegate to
   * the core server, with Hadoop's names where Hadoop has them ({@link #stop()}, {@link #join()}).
   */
  public static final class Server implements AutoCloseable {
    private final io.tusk.rpc.server.Server server;
    private final Configuration conf;
    private final EngineRegistry engines;
    /** This server's half of each engine it hosts with (per server: it may hold state). */
    private final java.util.Map<RpcEngine, ServerEngine<?>> serverEngines =
        new java.util.IdentityHashMap<>();

    private Server(io.tusk.rpc.server.Server server, Configuration conf,
        EngineRegistry engines) {
      this.server = server;
      this.conf = conf;
      this.engines = engines;
    }

    /**
     * Hosts {@code implementation} for {@code protocol} with the engine of {@code kind}: the one
     * {@code rpc.engine.<protocol>} names if it is of that kind, else the default engine of the
     * kind. May be called before or after {@link #start()}.
     */
    public Server addProtocol(RpcKind kind, Class<?> protocol, Object implementation) {
      addProtocol(engines.forKind(kind, protocol, conf), protocol, implementation);
      return this;
    }

    private void addProtocol(RpcEngine engine, Class<?> protocol, Object implementation) {
      ServerEngine<?> serverEngine;
      synchronized (serverEngines) {
        serverEngine = serverEngines.computeIfAbsent(engine, RpcEngine::newServerEngine);
      }
      server.addProtocol(serverEngine, protocol, implementation);
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
    /** See {@link io.tusk.rpc.server.Server#refreshSuperUserGroupsConfiguration}. */
    public void refreshSuperUserGroupsConfiguration(Configuration conf) {
      server.refreshSuperUserGroupsConfiguration(conf);
    }

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
