package io.tusk.rpc.examples;

import io.tusk.rpc.ProtocolInfo;
import io.tusk.rpc.examples.proto.KeyValueProtos.KeyValueService;

/**
 * The key-value protocol as the protobuf engine sees it: the generated blocking interface under a
 * protocol name and version. Hosted with
 * {@code ProtobufRpcEngine.addProtocol(server, KeyValueProtocolPB.class,
 * KeyValueService.newReflectiveBlockingService(new KeyValueServerSideTranslatorPB(store)))}.
 */
@ProtocolInfo(protocolName = KeyValueProtocolPB.NAME, protocolVersion = KeyValueProtocolPB.VERSION)
public interface KeyValueProtocolPB extends KeyValueService.BlockingInterface {
  /** The protocol name on the wire. */
  String NAME = "io.tusk.rpc.examples.KeyValueProtocol";

  /** The protocol version. */
  long VERSION = 1;
}
