package io.tusk.rpc.writable;

import io.tusk.rpc.ProtocolInfo;
import io.tusk.rpc.RPC;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.VersionedProtocol;
import io.tusk.rpc.server.ProtocolRegistry;
import io.tusk.rpc.spi.RequestDecoder;
import io.tusk.rpc.spi.RpcInvoker;
import io.tusk.rpc.spi.ServerEngine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server half of the Writable engine, one per server: decodes {@link Invocation}s with this
 * server's own {@link WireClassResolver} (so a peer naming many classes fills this server's class
 * cache, not one shared by the whole JVM), runs them with {@link WritableRpcInvoker}, and hosts an
 * implementation for a protocol and its super-protocols, checking that it implements the protocol.
 */
final class WritableServerEngine implements ServerEngine<Invocation> {
  private static final Logger LOG = LoggerFactory.getLogger(WritableServerEngine.class);

  /** The engine's identity on every server, whatever instance registered it. */
  static final String ID = WritableRpcEngine.class.getName();

  private final InvocationDecoder decoder;
  private final WritableRpcInvoker invoker;

  /** An engine with its own resolver (built-in aliases, the context class loader). */
  WritableServerEngine() {
    this(WireClassResolver.forContextClassLoader());
  }

  WritableServerEngine(WireClassResolver resolver) {
    this.decoder = new InvocationDecoder(resolver);
    this.invoker = new WritableRpcInvoker(resolver);
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public RpcKind kind() {
    return RpcKind.RPC_WRITABLE;
  }

  @Override
  public RequestDecoder<Invocation> decoder() {
    return decoder;
  }

  @Override
  public RpcInvoker<Invocation> invoker() {
    return invoker;
  }

  /**
   * Hosts {@code implementation} for {@code protocol} and for each super-interface of it that is
   * itself a protocol (extends {@link VersionedProtocol} or carries {@link ProtocolInfo}), each
   * under its own name and version, as Hadoop's Writable server does; {@link VersionedProtocol}
   * itself is never hosted (its methods reach the connection's protocol). A super-interface
   * without a version is skipped with a warning, as in Hadoop.
   *
   * @throws IllegalArgumentException when {@code implementation} does not implement
   *     {@code protocol} or {@code protocol} has no version
   */
  @Override
  public void host(ProtocolRegistry registry, Class<?> protocol, Object implementation) {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(implementation, "implementation");
    if (!protocol.isInstance(implementation)) {
      throw new IllegalArgumentException("protocol " + protocol.getName() + " is not implemented"
          + " by " + implementation.getClass().getName());
    }
    registry.add(RpcKind.RPC_WRITABLE, RPC.getProtocolName(protocol),
        RPC.getProtocolVersion(protocol), protocol, implementation);
    for (Class<?> parent : superProtocols(protocol)) {
      long version;
      try {
        version = RPC.getProtocolVersion(parent);
      } catch (IllegalArgumentException e) {
        LOG.warn("Protocol {} NOT registered: it has no protocol version", parent.getName());
        continue;
      }
      registry.add(RpcKind.RPC_WRITABLE, RPC.getProtocolName(parent), version, parent,
          implementation);
    }
  }

  /** The super-interfaces of {@code protocol} that are protocols, nearest first. */
  static List<Class<?>> superProtocols(Class<?> protocol) {
    Set<Class<?>> found = new LinkedHashSet<>();
    collect(protocol, found);
    found.remove(protocol);
    found.remove(VersionedProtocol.class);
    return new ArrayList<>(found);
  }

  private static void collect(Class<?> type, Set<Class<?>> found) {
    for (Class<?> parent : type.getInterfaces()) {
      if ((VersionedProtocol.class.isAssignableFrom(parent)
          || parent.isAnnotationPresent(ProtocolInfo.class)) && found.add(parent)) {
        collect(parent, found);
      }
    }
  }

  @Override
  public String toString() {
    return "ServerEngine[" + ID + ", RPC_WRITABLE]";
  }

  /**
   * Decodes an {@link Invocation} from the bytes after the RPC header, bounded by them (see
   * {@link ObjectWritable}'s decoding limits). Keeps no state: any thread may call it.
   */
  static final class InvocationDecoder implements RequestDecoder<Invocation> {
    private final WireClassResolver resolver;

    InvocationDecoder(WireClassResolver resolver) {
      this.resolver = resolver;
    }

    @Override
    public Invocation decode(ByteBuffer request) throws IOException {
      Invocation invocation = new Invocation(resolver);
      invocation.readFields(new FrameInput(request));
      return invocation;
    }
  }
}
