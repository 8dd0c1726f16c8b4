package io.tusk.rpc.protobuf;

import io.tusk.rpc.RPC;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolInfoService;
import io.tusk.rpc.server.Server;

/**
 * Hosts the protocol meta-info service ({@link ProtocolMetaInfoPB}) on a server, as every Hadoop
 * RPC server hosts it, so clients can ask which versions and methods the server supports
 * ({@link RpcClientUtil#isMethodSupported}).
 */
public final class ProtocolMetaInfo {
  private ProtocolMetaInfo() {}

  /**
   * Registers the protobuf engine on {@code server} (a no-op when it is registered) and hosts the
   * meta-info service over {@code server.protocols()}, unless it is already hosted. Called by
   * {@link ProtobufRpcEngine#addProtocol}; call it directly for a server with no protobuf
   * protocols of its own (e.g. Writable protocols only).
   */
  public static void register(Server server) {
    if (server.protocols().get(RpcKind.RPC_PROTOCOL_BUFFER, RPC.getProtocolName(
        ProtocolMetaInfoPB.class), RPC.getProtocolVersion(ProtocolMetaInfoPB.class)).isPresent()) {
      return;
    }
    ProtobufRpcEngine.host(server, ProtocolMetaInfoPB.class,
        ProtocolInfoService.newReflectiveBlockingService(
            new ProtocolMetaInfoServerSideTranslatorPB(server.protocols())));
  }
}
