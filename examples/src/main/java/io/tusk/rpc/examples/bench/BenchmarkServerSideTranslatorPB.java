package io.tusk.rpc.examples.bench;

import com.google.protobuf.BlockingService;
import com.google.protobuf.RpcController;
import io.tusk.rpc.examples.bench.proto.BenchmarkProtos.BenchmarkService;
import io.tusk.rpc.examples.bench.proto.BenchmarkProtos.EchoRequestProto;
import io.tusk.rpc.examples.bench.proto.BenchmarkProtos.EchoResponseProto;

/**
 * Server side of {@link BenchmarkProtocolPB}: answers {@code echo} with the request's payload. The
 * payload is shared, not copied ({@code ByteString} is immutable), so the server's cost is the
 * RPC machinery's, not the application's. Stateless and thread-safe.
 */
public final class BenchmarkServerSideTranslatorPB implements BenchmarkProtocolPB {
  /** The blocking service to host, e.g. with {@code RPC.Server.addProtocol}. */
  public static BlockingService newService() {
    return BenchmarkService.newReflectiveBlockingService(new BenchmarkServerSideTranslatorPB());
  }

  @Override
  public EchoResponseProto echo(RpcController controller, EchoRequestProto request) {
    return EchoResponseProto.newBuilder().setPayload(request.getPayload()).build();
  }
}
