package io.tusk.rpc.examples.readme;

import io.tusk.rpc.ProtocolInfo;
import io.tusk.rpc.examples.readme.proto.GreeterProtos.GreeterService;

/** The generated blocking interface under a protocol name and version. */
@ProtocolInfo(protocolName = "io.tusk.rpc.examples.readme.Greeter", protocolVersion = 1)
public interface GreeterProtocolPB extends GreeterService.BlockingInterface {
}
