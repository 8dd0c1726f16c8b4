package io.tusk.rpc.writable;

import io.tusk.rpc.EngineRegistration;
import io.tusk.rpc.ProtocolInfo;
import io.tusk.rpc.RPC;
import io.tusk.rpc.RequestDecoder;
import io.tusk.rpc.RpcEngine;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.VersionedProtocol;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.server.Server;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hadoop's Writable RPC engine ({@link RpcKind#RPC_WRITABLE}): requests are {@link Invocation}s,
 * answers {@link ObjectWritable}s, byte-compatible with Hadoop 3.4.2's {@code WritableRpcEngine}.
 * It is the default engine of {@link RPC#getProtocolEngine} (listed in
 * {@code META-INF/services/io.tusk.rpc.RpcEngine}).
 *
 * <p>Client: {@link #getProxy} returns a dynamic proxy (see {@link WritableInvocationHandler});
 * failures arrive as the method's declared exceptions where they match. Server:
 * {@link #serverRegistration()} decodes Invocations (on whichever thread the server calls its
 * decoder) and runs them on handlers ({@link WritableRpcInvoker}); {@link #addProtocol} hosts a protocol and its super-protocols.
 *
 * <p>Stateless; one instance serves every proxy and server.
 */
public final class WritableRpcEngine implements RpcEngine {
  private static final Logger LOG = LoggerFactory.getLogger(WritableRpcEngine.class);

  private final WireClassResolver resolver = WireClassResolver.defaultResolver();
  private final EngineRegistration registration = new EngineRegistration(RpcKind.RPC_WRITABLE,
      new InvocationDecoder(resolver), new WritableRpcInvoker(resolver));

  /** For {@link java.util.ServiceLoader} and {@link RPC#getProtocolEngine}. */
  public WritableRpcEngine() {}

  @Override
  public RpcKind rpcKind() {
    return RpcKind.RPC_WRITABLE;
  }

  @Override
  public EngineRegistration serverRegistration() {
    return registration;
  }

  @Override
  public <T> T getProxy(Class<T> protocol, long clientVersion, ConnectionId remote,
      Client client) {
    if (!protocol.isInterface()) {
      throw new IllegalArgumentException(protocol.getName() + " is not an interface");
    }
    return protocol.cast(Proxy.newProxyInstance(protocol.getClassLoader(),
        new Class<?>[] {protocol},
        new WritableInvocationHandler(protocol, clientVersion, remote, client)));
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
  public void addProtocol(Server server, Class<?> protocol, Object implementation) {
    if (!protocol.isInstance(implementation)) {
      throw new IllegalArgumentException("protocol " + protocol.getName() + " is not implemented"
          + " by " + implementation.getClass().getName());
    }
    RpcEngine.super.addProtocol(server, protocol, implementation);
    for (Class<?> parent : superProtocols(protocol)) {
      long version;
      try {
        version = RPC.getProtocolVersion(parent);
      } catch (IllegalArgumentException e) {
        LOG.warn("Protocol {} NOT registered: it has no protocol version", parent.getName());
        continue;
      }
      server.protocols().add(RpcKind.RPC_WRITABLE, RPC.getProtocolName(parent), version, parent,
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

  /**
   * One call of {@code method}, for {@link RPC#call}; completes with the return value. Completing
   * or cancelling the returned future (also through {@code orTimeout}) abandons the call itself,
   * so nothing stays pending on the connection.
   */
  @Override
  public CompletableFuture<Object> callAsync(Method method, Object[] args, ConnectionId remote,
      Client client) {
    ClientMethod call = ClientMethod.of(method);
    Class<?> protocol = method.getDeclaringClass();
    try {
      CompletableFuture<ByteBuffer> source = client.callAsync(RpcKind.RPC_WRITABLE,
          call.request(args, protocol, RPC.getProtocolVersion(protocol)), remote);
      CompletableFuture<Object> result = source.thenApply(response -> {
        try {
          return call.decodeReturn(response);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      // A dependent stage does not cancel its source: when the caller gives up on the result
      // before the response came, give up on the call too.
      result.whenComplete((value, failure) -> source.cancel(false));
      return result;
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Decodes an {@link Invocation} from the bytes after the RPC header, bounded by them (see
   * {@link ObjectWritable}'s decoding limits). Keeps no state: any thread may call it, a reader
   * or a handler.
   */
  private static final class InvocationDecoder implements RequestDecoder {
    private final WireClassResolver resolver;

    InvocationDecoder(WireClassResolver resolver) {
      this.resolver = resolver;
    }

    @Override
    public Object decode(ByteBuffer request) throws IOException {
      Invocation invocation = new Invocation(resolver);
      invocation.readFields(new FrameInput(request));
      return invocation;
    }
  }
}
