package io.tusk.rpc.protobuf;

import com.google.protobuf.BlockingService;
import com.google.protobuf.RpcController;
import com.google.protobuf.ServiceException;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolSignatureRequestProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolSignatureResponseProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsRequestProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsResponseProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolInfoService;
import io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolSignatureProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolVersionProto;
import java.io.FileNotFoundException;

/**
 * Test implementation: {@code getProtocolVersions} echoes the protocol string as the rpcKind, or
 * fails when it starts with "fail-"; {@code getProtocolSignature} returns as many signatures as
 * the rpcKind string says.
 */
final class TestInfoService implements TestInfoPB, TestInfoPB.V4 {
  private final long version;

  TestInfoService(long version) {
    this.version = version;
  }

  static BlockingService blocking(long version) {
    return ProtocolInfoService.newReflectiveBlockingService(new TestInfoService(version));
  }

  @Override
  public GetProtocolVersionsResponseProto getProtocolVersions(RpcController controller,
      GetProtocolVersionsRequestProto request) throws ServiceException {
    switch (request.getProtocol()) {
      case "fail-io":
        throw new ServiceException(new FileNotFoundException("no such file: /x"));
      case "fail-runtime":
        throw new IllegalStateException("boom");
      case "fail-nocause":
        throw new ServiceException("plain service failure");
      default:
        return GetProtocolVersionsResponseProto.newBuilder()
            .addProtocolVersions(ProtocolVersionProto.newBuilder()
                .setRpcKind(request.getProtocol()).addVersions(version))
            .build();
    }
  }

  @Override
  public GetProtocolSignatureResponseProto getProtocolSignature(RpcController controller,
      GetProtocolSignatureRequestProto request) {
    GetProtocolSignatureResponseProto.Builder b = GetProtocolSignatureResponseProto.newBuilder();
    int n = Integer.parseInt(request.getRpcKind());
    for (int i = 0; i < n; i++) {
      b.addProtocolSignature(ProtocolSignatureProto.newBuilder().setVersion(i).addMethods(i));
    }
    return b.build();
  }
}
