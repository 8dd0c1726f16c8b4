package io.tusk.rpc.protobuf;

import com.google.protobuf.BlockingService;
import io.tusk.rpc.EngineRegistration;
import io.tusk.rpc.RPC;
import io.tusk.rpc.RpcEngine;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolInfoService;
import io.tusk.rpc.server.Server;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>Client: {@link #getProxy} returns a proxy implementing the PB interface and
 * {@link ProtobufProxy}. Server: {@link #addProtocol} registers this engine and hosts a
 * {@code BlockingService} (made by the generated {@code newReflectiveBlockingService}). Found
 * through {@link java.util.ServiceLoader}; stateless: one instance serves every proxy and server.
 */
public final class ProtobufRpcEngine implements RpcEngine {
  private static final Logger LOG = LoggerFactory.getLogger(ProtobufRpcEngine.class);

  private static final EngineRegistration REGISTRATION = new EngineRegistration(
      RpcKind.RPC_PROTOCOL_BUFFER, new ProtobufRequestDecoder(), new ProtobufRpcInvoker());

  /** For {@link java.util.ServiceLoader} and {@code rpc.engine.<protocol>} settings. */
  public ProtobufRpcEngine() {}

  @Override
  public RpcKind rpcKind() {
    return RpcKind.RPC_PROTOCOL_BUFFER;
  }

  @Override
  public EngineRegistration serverRegistration() {
    return REGISTRATION;
  }

  /**
   * A proxy implementing {@code protocol} (and {@link ProtobufProxy}) whose calls go through
   * {@code client} on {@code remote}.
   *
   * <p>As in Hadoop, the version sent in each request header is the protocol's own
   * ({@link RPC#getProtocolVersion}); {@code clientVersion} is not used by this engine. Closing the
   * proxy ({@link ProtobufProxy#close()}) does not close {@code client}.
   *
   * @throws IllegalArgumentException when {@code protocol} is not an interface or has no version
   */
  @Override
  public <T> T getProxy(Class<T> protocol, long clientVersion, ConnectionId remote,
      Client client) {
    Objects.requireNonNull(remote, "remote");
    Objects.requireNonNull(client, "client");
    return newProxy(protocol, remote, client,
        request -> client.call(RpcKind.RPC_PROTOCOL_BUFFER, request, remote));
  }

  /**
   * Hosts the protocol meta-info service ({@link ProtocolMetaInfoPB}) on every server the
   * {@link RPC.Builder} builds, as Hadoop hosts it on every RPC server, whatever engines its own
   * protocols use.
   */
  @Override
  public void addBuiltinProtocols(RPC.Server server) {
    server.addProtocol(RpcKind.RPC_PROTOCOL_BUFFER, ProtocolMetaInfoPB.class,
        ProtocolInfoService.newReflectiveBlockingService(
            new ProtocolMetaInfoServerSideTranslatorPB(server.server().protocols())));
  }

  /** Builds a proxy over any transport (tests use an in-memory one). */
  static <T> T newProxy(Class<T> protocol, ConnectionId remote, Client client,
      ProtobufInvocationHandler.Transport transport) {
    if (!protocol.isInterface()) {
      throw new IllegalArgumentException(protocol.getName() + " is not an interface");
    }
    return new ProtobufInvocationHandler(protocol, remote, client, transport).newProxy();
  }

  /**
   * Hosts {@code service} on {@code server} as {@code pbInterface}: registers this engine (a no-op
   * when it is already registered), adds the service under ({@link RPC#getProtocolName},
   * {@link RPC#getProtocolVersion}) of {@code pbInterface}, and hosts the protocol meta-info
   * service ({@link ProtocolMetaInfo#register}) as every Hadoop RPC server does.
   *
   * @param pbInterface the PB interface the service implements (its name and version are used;
   *     its methods give the fingerprints reported by {@code getProtocolSignature})
   * @param service usually {@code XxxService.newReflectiveBlockingService(serverSideTranslator)}
   */
  public static void addProtocol(Server server, Class<?> pbInterface, BlockingService service) {
    server.registerEngine(REGISTRATION);
    host(server, pbInterface, service);
    ProtocolMetaInfo.register(server);
  }

  /** Registers the engine and hosts the service, without the meta-info service. */
  static void host(Server server, Class<?> pbInterface, BlockingService service) {
    Objects.requireNonNull(service, "service");
    String name = RPC.getProtocolName(pbInterface);
    long version = RPC.getProtocolVersion(pbInterface);
    server.registerEngine(REGISTRATION);
    server.protocols().add(RpcKind.RPC_PROTOCOL_BUFFER, name, version, pbInterface, service);
    LOG.debug("hosting {} version {} ({}) for RPC_PROTOCOL_BUFFER", name, version,
        service.getDescriptorForType().getFullName());
  }
}
