package io.tusk.rpc.protobuf;

import com.google.protobuf.ServiceException;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolSignatureRequestProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolSignatureResponseProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsRequestProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsResponseProto;
import org.apache.hadoop.ipc.ProtocolInfo;
import org.apache.hadoop.thirdparty.protobuf.RpcController;

/**
 * {@link TestInfoPB} as a Hadoop client declares it: the same methods, but taking Hadoop's shaded
 * RpcController and annotated with Hadoop's {@code @ProtocolInfo} (test stand-ins of both), plus
 * one method no test server serves.
 */
@ProtocolInfo(protocolName = TestInfoPB.NAME, protocolVersion = 3)
public interface HadoopFlavouredPB {
  GetProtocolVersionsResponseProto getProtocolVersions(RpcController controller,
      GetProtocolVersionsRequestProto request) throws ServiceException;

  GetProtocolSignatureResponseProto getProtocolSignature(RpcController controller,
      GetProtocolSignatureRequestProto request) throws ServiceException;

  GetProtocolVersionsResponseProto compact(RpcController controller,
      GetProtocolVersionsRequestProto request) throws ServiceException;
}
