package io.tusk.rpc.protobuf;

import com.google.protobuf.BlockingService;
import io.tusk.rpc.RPC;
import io.tusk.rpc.RpcEngine;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.spi.ProxyOptions;
import io.tusk.rpc.spi.ServerEngine;
import java.time.Duration;
import java.util.Objects;

/**
 * The protobuf RPC engine ({@link RpcKind#RPC_PROTOCOL_BUFFER}), wire-compatible with Hadoop's
 * {@code ProtobufRpcEngine2}.
 *
 * <p>A protocol is a "PB interface": annotated with {@link io.tusk.rpc.ProtocolInfo} and extending
 * a generated {@code XxxService.BlockingInterface} ({@code option java_generic_services = true}),
 * so each method looks like {@code Resp m(RpcController controller, Req request) throws
 * ServiceException}.
 *
 * <pre>
 * request payload  = delimited RequestHeaderProto{methodName, declaringClassProtocolName,
 *                                                 clientProtocolVersion} | delimited request
 * response payload = delimited response            (SUCCESS only; errors travel in the header)
 * </pre>
 *
 * <p>Client: {@link #newProxy} returns a proxy implementing the PB interface and
 * {@link ProtobufProxy}. Server: {@link #addProtocol} registers this engine and hosts a
 * {@code BlockingService} (made by the generated {@code newReflectiveBlockingService}), checked
 * when it is added ({@link #newServerEngine()}'s {@code host}). Found through
 * {@link java.util.ServiceLoader}; stateless: one instance serves every proxy and server.
 */
public final class ProtobufRpcEngine implements RpcEngine {
  /** For {@link java.util.ServiceLoader} and {@code rpc.engine.<protocol>} settings. */
  public ProtobufRpcEngine() {}

  @Override
  public RpcKind kind() {
    return RpcKind.RPC_PROTOCOL_BUFFER;
  }

  /** The engine's server half; stateless, so every server shares one. */
  @Override
  public ServerEngine<?> newServerEngine() {
    return ProtobufServerEngine.INSTANCE;
  }

  /**
   * A proxy implementing {@code protocol} (and {@link ProtobufProxy}) whose calls go through
   * {@code client} on {@code remote}, each with {@code options}' RPC timeout.
   *
   * <p>As in Hadoop, the version sent in each request header is the protocol's own
   * ({@link RPC#getProtocolVersion}); {@code options.clientVersion()} is not used by this engine.
   * Closing the proxy ({@link ProtobufProxy#close()}) runs {@code options.onClose()} once and
   * does not close {@code client}.
   *
   * @throws IllegalArgumentException when {@code protocol} is not an interface or has no version
   */
  @Override
  public <T> T newProxy(Class<T> protocol, ConnectionId remote, Client client,
      ProxyOptions options) {
    Objects.requireNonNull(remote, "remote");
    Objects.requireNonNull(client, "client");
    Duration timeout = options.rpcTimeout();
    ProtobufInvocationHandler.Transport transport = timeout == null
        ? request -> client.call(RpcKind.RPC_PROTOCOL_BUFFER, request, remote)
        : request -> client.call(RpcKind.RPC_PROTOCOL_BUFFER, request, remote, timeout);
    return newProxy(protocol, remote, client, transport, options.onClose());
  }

  /**
   * Claims {@code protocol} when it is, or extends (directly or through other interfaces), a
   * protobuf-generated {@code XxxService.BlockingInterface}: only this engine can serve such an
   * interface, so the facade picks it without an {@code rpc.engine.<protocol>} setting.
   * Hand-written PB interfaces that extend no generated one still need the setting.
   */
  @Override
  public boolean claims(Class<?> protocol) {
    return protocol.isInterface() && ProtobufServerEngine.isGeneratedBlockingInterface(protocol);
  }

  /** {@link #newProxy} with the client's timeout, nobody told of close. */
  @Override
  public <T> T getProxy(Class<T> protocol, long clientVersion, ConnectionId remote,
      Client client) {
    return newProxy(protocol, remote, client, ProxyOptions.of(clientVersion));
  }

  /** Builds a proxy over any transport (tests use an in-memory one). */
  static <T> T newProxy(Class<T> protocol, ConnectionId remote, Client client,
      ProtobufInvocationHandler.Transport transport) {
    return newProxy(protocol, remote, client, transport, () -> { });
  }

  private static <T> T newProxy(Class<T> protocol, ConnectionId remote, Client client,
      ProtobufInvocationHandler.Transport transport, Runnable onClose) {
    if (!protocol.isInterface()) {
      throw new IllegalArgumentException(protocol.getName() + " is not an interface");
    }
    return new ProtobufInvocationHandler(protocol, remote, client, transport, onClose)
        .newProxy();
  }

  /**
   * Hosts {@code service} on {@code server} as {@code pbInterface}: registers this engine (a no-op
   * when it is already registered, also when the facade registered it with verbose logging),
   * adds the service under ({@link RPC#getProtocolName}, {@link RPC#getProtocolVersion}) of
   * {@code pbInterface}, and hosts the protocol meta-info service ({@link ProtocolMetaInfo#register})
   * as every Hadoop RPC server does.
   *
   * @param pbInterface the PB interface the service implements (its name and version are used;
   *     its methods give the fingerprints reported by {@code getProtocolSignature})
   * @param service usually {@code XxxService.newReflectiveBlockingService(serverSideTranslator)}
   * @throws IllegalArgumentException when {@code service} is another service than the one
   *     {@code pbInterface} extends, or the interface has no version
   */
  public static void addProtocol(Server server, Class<?> pbInterface, BlockingService service) {
    host(server, pbInterface, service);
    ProtocolMetaInfo.register(server);
  }

  /** Registers the engine and hosts the service, without the meta-info service. */
  static void host(Server server, Class<?> pbInterface, BlockingService service) {
    Objects.requireNonNull(service, "service");
    server.addProtocol(ProtobufServerEngine.INSTANCE, pbInterface, service);
  }
}
