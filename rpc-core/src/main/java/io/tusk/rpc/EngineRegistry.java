package io.tusk.rpc;

import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.conf.IpcKeys;
import io.tusk.rpc.spi.BuiltinProtocols;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * The engines the {@link RPC} facade chooses from, and the built-in protocols its servers host:
 * created once — from {@link ServiceLoader} ({@link #load}, which the facade does the first time
 * it needs engines) or by hand ({@link #of}, in a test) — and passed where it is needed
 * ({@link RPC.Builder#setEngineRegistry}). Nothing scans the class path again per
 * {@code getProxy} or per {@code build()}.
 *
 * <p>Engine choice for a protocol ({@link #forProtocol}): the setting
 * {@code rpc.engine.<protocol class name>} names an {@link RpcEngine} class; when it is unset, the
 * one listed engine that {@link RpcEngine#claims claims} the protocol (the protobuf engine claims
 * interfaces extending a protobuf-generated {@code BlockingInterface}, which no other engine can
 * serve; Hadoop would take its Writable engine and fail), else the registry's engine of kind
 * {@link RpcKind#RPC_WRITABLE}, as Hadoop defaults to its Writable engine. When none fits, the
 * error names the exact setting to add.
 *
 * <p>Immutable and thread-safe. One engine per kind: when two listed engines claim the same kind,
 * the first one found wins (the second is ignored), as the scan did before.
 */
public final class EngineRegistry {
  /** One instance per engine class named in a setting; engines are stateless by contract. */
  private static final ClassValue<RpcEngine> NAMED = new ClassValue<>() {
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

  private final Map<RpcKind, RpcEngine> byKind;
  private final List<RpcEngine> engines;
  private final List<BuiltinProtocols> builtins;

  private EngineRegistry(List<RpcEngine> engines, List<BuiltinProtocols> builtins) {
    Map<RpcKind, RpcEngine> kinds = new EnumMap<>(RpcKind.class);
    for (RpcEngine engine : engines) {
      kinds.putIfAbsent(Objects.requireNonNull(engine.rpcKind(), "kind"), engine);
    }
    this.byKind = kinds;
    this.engines = List.copyOf(engines);
    this.builtins = List.copyOf(builtins);
  }

  /**
   * Scans {@code loader}'s {@code META-INF/services/io.tusk.rpc.RpcEngine} and
   * {@code META-INF/services/io.tusk.rpc.spi.BuiltinProtocols} once. An engine class found here is
   * the same instance that a {@code rpc.engine.<protocol>} setting naming it gets.
   */
  public static EngineRegistry load(ClassLoader loader) {
    List<RpcEngine> engines = new ArrayList<>();
    for (RpcEngine found : ServiceLoader.load(RpcEngine.class, loader)) {
      engines.add(NAMED.get(found.getClass()));
    }
    List<BuiltinProtocols> builtins = new ArrayList<>();
    ServiceLoader.load(BuiltinProtocols.class, loader).forEach(builtins::add);
    return new EngineRegistry(engines, builtins);
  }

  /** A registry of exactly these engines and built-in protocols (for tests and embedders). */
  public static EngineRegistry of(List<? extends RpcEngine> engines,
      List<? extends BuiltinProtocols> builtins) {
    return new EngineRegistry(List.copyOf(engines), List.copyOf(builtins));
  }

  /** The registry the facade uses unless given another: {@link #load} of RPC's class loader. */
  public static EngineRegistry defaultRegistry() {
    return Default.REGISTRY;
  }

  private static final class Default {
    static final EngineRegistry REGISTRY = load(RPC.class.getClassLoader());
  }

  /**
   * The engine of {@code kind}.
   *
   * @throws IllegalStateException naming the module to add when none is listed
   */
  public RpcEngine forKind(RpcKind kind) {
    RpcEngine engine = byKind.get(kind);
    if (engine != null) {
      return engine;
    }
    throw new IllegalStateException("no RPC engine registered for " + kind + " — is "
        + moduleOf(kind) + " on the classpath? (or set " + IpcKeys.RPC_ENGINE_PREFIX
        + "<protocol>)");
  }

  /**
   * The engine for {@code protocol}: see the class comment.
   *
   * @throws IllegalStateException when the setting is unset and no listed engine fits, or
   *     several claim the protocol; the message names the setting
   *     {@code rpc.engine.<protocol class name>} to add
   */
  public RpcEngine forProtocol(Class<?> protocol, Configuration conf) {
    RpcEngine named = named(protocol, conf);
    if (named != null) {
      return named;
    }
    RpcEngine claimer = claimer(protocol);
    if (claimer != null) {
      return claimer;
    }
    RpcEngine writable = byKind.get(RpcKind.RPC_WRITABLE);
    if (writable != null) {
      return writable;
    }
    throw new IllegalStateException("no RPC engine for " + protocol.getName() + ": set "
        + setting(protocol, "<engine class>") + " (" + setting(protocol, PROTOBUF_ENGINE)
        + " for an interface extending a protobuf BlockingInterface), or put"
        + " rpc-engine-writable on the classpath for the default Writable engine (engines"
        + " listed: " + engineNames() + ")");
  }

  /**
   * The engine of {@code kind} that hosts {@code protocol} on a server
   * ({@link RPC.Server#addProtocol(RpcKind, Class, Object)}): the one {@code rpc.engine.<protocol>}
   * names if it is of that kind, else the kind's engine.
   *
   * @throws IllegalArgumentException when the setting is unset and another kind's engine claims
   *     {@code protocol} (it is that engine's protocol: the message names the kind to use)
   * @throws IllegalStateException when no engine of {@code kind} is listed
   */
  public RpcEngine forKind(RpcKind kind, Class<?> protocol, Configuration conf) {
    RpcEngine named = named(protocol, conf);
    if (named != null && named.rpcKind() == kind) {
      return named;
    }
    RpcEngine claimer = named == null ? claimer(protocol) : null;
    if (claimer != null && claimer.rpcKind() != kind) {
      throw new IllegalArgumentException("cannot host " + protocol.getName() + " with " + kind
          + ": it is a protocol of " + claimer.getClass().getName() + "; host it with "
          + claimer.rpcKind() + " (or set " + setting(protocol, "<engine class of " + kind + ">")
          + ")");
    }
    RpcEngine engine = byKind.get(kind);
    if (engine != null) {
      return engine;
    }
    throw new IllegalStateException("no RPC engine registered for " + kind + " to host "
        + protocol.getName() + " — is " + moduleOf(kind) + " on the classpath? (or set "
        + setting(protocol, "<engine class>") + ")");
  }

  /** Class name of the protobuf engine, for messages only (core never loads it by name). */
  static final String PROTOBUF_ENGINE = "io.tusk.rpc.protobuf.ProtobufRpcEngine";

  private static String setting(Class<?> protocol, String value) {
    return IpcKeys.RPC_ENGINE_PREFIX + protocol.getName() + "=" + value;
  }

  private static String moduleOf(RpcKind kind) {
    return kind == RpcKind.RPC_PROTOCOL_BUFFER ? "rpc-engine-protobuf" : "rpc-engine-writable";
  }

  private String engineNames() {
    return engines.isEmpty() ? "none"
        : String.join(", ", engines.stream().map(e -> e.getClass().getName()).toList());
  }

  /**
   * The one listed engine that claims {@code protocol}, or null when none does.
   *
   * @throws IllegalStateException when several do
   */
  private RpcEngine claimer(Class<?> protocol) {
    RpcEngine found = null;
    for (RpcEngine engine : engines) {
      if (engine.claims(protocol)) {
        if (found != null && found != engine) {
          throw new IllegalStateException("engines " + found.getClass().getName() + " and "
              + engine.getClass().getName() + " both claim " + protocol.getName() + ": set "
              + setting(protocol, "<engine class>"));
        }
        found = engine;
      }
    }
    return found;
  }

  /** The engine {@code rpc.engine.<protocol>} names, or null when the setting is unset. */
  RpcEngine named(Class<?> protocol, Configuration conf) {
    Class<? extends RpcEngine> type = conf.getClass(IpcKeys.RPC_ENGINE_PREFIX + protocol.getName(),
        null, RpcEngine.class);
    if (type == null) {
      return null;
    }
    for (RpcEngine engine : engines) {
      if (engine.getClass() == type) {
        return engine;
      }
    }
    return NAMED.get(type);
  }

  /** Every listed engine, in the order found. */
  public List<RpcEngine> engines() {
    return engines;
  }

  /** The protocols every facade server hosts, in the order found. */
  public List<BuiltinProtocols> builtinProtocols() {
    return builtins;
  }

  @Override
  public String toString() {
    return "EngineRegistry" + byKind;
  }
}
