package io.tusk.rpc.protobuf;

import io.tusk.rpc.ProtocolInfo;
import io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolInfoService;

/**
 * The protocol meta-info service as a PB interface, under Hadoop's name so Hadoop clients find it:
 * asks a server which versions of a protocol it hosts and which methods each version has.
 *
 * <p>Hosted by {@link ProtocolMetaInfo#register}; queried by {@link RpcClientUtil}.
 */
@ProtocolInfo(protocolName = ProtocolMetaInfoPB.NAME, protocolVersion = ProtocolMetaInfoPB.VERSION)
public interface ProtocolMetaInfoPB extends ProtocolInfoService.BlockingInterface {
  /** The protocol name on the wire. */
  String NAME = "org.apache.hadoop.ipc.ProtocolMetaInfoPB";

  /** The only version. */
  long VERSION = 1;
}
