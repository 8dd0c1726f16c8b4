package io.tusk.rpc.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolInfoService;
import io.tusk.rpc.protobuf.ProtobufRpcEngine;
import io.tusk.rpc.protobuf.ProtocolMetaInfoServerSideTranslatorPB;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.testing.Threads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The protobuf engine refuses, when it is added, a BlockingService of another service. */
@Timeout(30)
class ProtobufHostCheckTest {
  @Test
  void aServiceOtherThanTheOneThePbInterfaceExtendsFailsAtAddProtocol() {
    try (Server server = Server.builder().name(Threads.uniqueName("pbdesc")).build()) {
      assertThatThrownBy(() -> ProtobufRpcEngine.addProtocol(server, KeyValueProtocolPB.class,
          ProtocolInfoService.newReflectiveBlockingService(
              new ProtocolMetaInfoServerSideTranslatorPB(server.protocols()))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("KeyValueService")
          .hasMessageContaining("ProtocolInfoService");
      assertThat(server.protocols().all()).isEmpty();
    }
  }
}
