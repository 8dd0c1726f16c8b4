package io.tusk.rpc.protobuf;

import io.tusk.rpc.ProtocolInfo;
import io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolInfoService;

/** A PB interface for tests, reusing the meta-info service's generated messages. */
@ProtocolInfo(protocolName = TestInfoPB.NAME, protocolVersion = 3)
public interface TestInfoPB extends ProtocolInfoService.BlockingInterface {
  String NAME = "tusk.test.Info";

  /** The same protocol name at version 4. */
  @ProtocolInfo(protocolName = TestInfoPB.NAME, protocolVersion = 4)
  interface V4 extends ProtocolInfoService.BlockingInterface {}

  /** The same protocol name at a version no test server hosts. */
  @ProtocolInfo(protocolName = TestInfoPB.NAME, protocolVersion = 5)
  interface V5 extends ProtocolInfoService.BlockingInterface {}
}
