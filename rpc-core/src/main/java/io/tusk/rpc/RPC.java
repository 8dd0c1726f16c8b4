package io.tusk.rpc;

import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.conf.IpcKeys;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ServiceLoader;

/**
 * The facade users call, with Hadoop's names: engine selection per protocol interface, protocol
 * names and versions.
 *
 * <p>Engine choice: the setting {@code rpc.engine.<protocol class name>} names an {@link RpcEngine}
 * class; when it is unset the engine of kind {@link RpcKind#RPC_WRITABLE} found through
 * {@link ServiceLoader} is used, as Hadoop defaults to its Writable engine.
 */
public final class RPC {
  private RPC() {}

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

  /** The engine of {@code kind} found through {@link ServiceLoader}. */
  public static RpcEngine defaultEngine(RpcKind kind) {
    for (RpcEngine engine : ServiceLoader.load(RpcEngine.class, RPC.class.getClassLoader())) {
      if (engine.rpcKind() == kind) {
        return ENGINES.get(engine.getClass());
      }
    }
    throw new IllegalStateException("no RPC engine registered for " + kind + " — is "
        + (kind == RpcKind.RPC_PROTOCOL_BUFFER ? "rpc-engine-protobuf" : "rpc-engine-writable")
        + " on the classpath? (or set " + IpcKeys.RPC_ENGINE_PREFIX + "<protocol>)");
  }

  /** The wire name of a protocol: {@link ProtocolInfo#protocolName()} or the class name. */
  public static String getProtocolName(Class<?> protocol) {
    ProtocolInfo info = protocol.getAnnotation(ProtocolInfo.class);
    return info != null ? info.protocolName() : protocol.getName();
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
}
