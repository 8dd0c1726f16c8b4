package io.tusk.rpc.examples.bench;

import io.tusk.rpc.ProtocolInfo;
import io.tusk.rpc.examples.bench.proto.BenchmarkProtos.BenchmarkService;

/**
 * The load generator's protobuf protocol ({@code tusk bench -e protobuf}): the generated blocking
 * interface of {@code bench.proto} under a protocol name and version. Clients get a proxy of it
 * from the protobuf engine; servers host {@link BenchmarkServerSideTranslatorPB#newService()}.
 */
@ProtocolInfo(protocolName = BenchmarkProtocolPB.NAME,
    protocolVersion = BenchmarkProtocolPB.VERSION)
public interface BenchmarkProtocolPB extends BenchmarkService.BlockingInterface {
  /** The protocol name on the wire. */
  String NAME = "io.tusk.rpc.examples.bench.BenchmarkProtocol";

  /** The protocol version. */
  long VERSION = 1;
}
