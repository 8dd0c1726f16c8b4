package io.tusk.rpc.interop;

import io.tusk.rpc.examples.KeyValueProtocolPB;
import io.tusk.rpc.interop.hadoopside.proto.KeyValueProtos.EmptyRequestProto;
import io.tusk.rpc.interop.hadoopside.proto.KeyValueProtos.EmptyResponseProto;
import io.tusk.rpc.interop.hadoopside.proto.KeyValueProtos.KeyValueService;
import org.apache.hadoop.ipc.ProtocolInfo;
import org.apache.hadoop.ipc.protobuf.ProtocolInfoProtos.ProtocolInfoService;
import org.apache.hadoop.thirdparty.protobuf.RpcController;
import org.apache.hadoop.thirdparty.protobuf.ServiceException;

/** Hadoop-side PB interfaces that a key-value server does not serve as they ask. */
final class HadoopMisfitProtocols {
  private HadoopMisfitProtocols() {}

  /** The key-value protocol's name and version, but the methods of another service. */
  @ProtocolInfo(protocolName = KeyValueProtocolPB.NAME, protocolVersion = KeyValueProtocolPB.VERSION)
  interface WrongMethodsPB extends ProtocolInfoService.BlockingInterface {}

  /** The key-value protocol at a version nobody serves. */
  @ProtocolInfo(protocolName = KeyValueProtocolPB.NAME, protocolVersion = 2)
  interface KeyValueV2PB extends KeyValueService.BlockingInterface {}

  /** The key-value protocol as a newer client sees it: every method, plus one nobody serves. */
  @ProtocolInfo(protocolName = KeyValueProtocolPB.NAME, protocolVersion = KeyValueProtocolPB.VERSION)
  interface KeyValuePlusPB extends KeyValueService.BlockingInterface {
    EmptyResponseProto compact(RpcController controller, EmptyRequestProto request)
        throws ServiceException;
  }
}
