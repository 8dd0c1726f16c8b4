package io.tusk.rpc.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.rpc.ProtocolInfo;
import io.tusk.rpc.RPC;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.protobuf.ProtobufRpcEngine;
import io.tusk.rpc.protobuf.ProtocolMetaInfo;
import io.tusk.rpc.protobuf.ProtocolMetaInfoPB;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsRequestProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsResponseProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolVersionProto;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.spi.ProxyOptions;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import io.tusk.rpc.writable.WritableRpcEngine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The engine SPI is enough for a third party: {@link LineEngine} (spi interfaces only) serves
 * RPC_BUILTIN next to the Writable and protobuf engines on one core server, and one client calls
 * all three through the one listening socket.
 */
@Timeout(30)
@ExtendWith(LeakCheck.class)
class ThreeEnginesOneServerTest {
  @ProtocolInfo(protocolName = "testkit.Upper", protocolVersion = 1)
  interface Upper extends LineService {}

  /** A Writable protocol. */
  public interface Adder {
    long versionID = 2L;

    int add(int a, int b) throws IOException;
  }

  @Test
  void oneServerAnswersTheLineEngineTheWritableEngineAndTheProtobufEngine() throws Exception {
    String name = Threads.uniqueName("three");
    LineEngine line = new LineEngine();
    try (Server server = Server.builder().name(name + "-srv").build()) {
      server.addProtocol(line, Upper.class, (LineService) s -> s.toUpperCase(Locale.ROOT));
      server.addProtocol(new WritableRpcEngine().newServerEngine(), Adder.class,
          (Adder) (a, b) -> a + b);
      ProtocolMetaInfo.register(server); // protobuf: the meta-info service
      server.start();
      InetSocketAddress address = server.getListenerAddress();

      try (Client client = Client.builder().name(name + "-cli").build()) {
        Upper upper = line.newProxy(Upper.class,
            ConnectionId.of(address, RPC.getProtocolName(Upper.class)), client,
            ProxyOptions.of(1).withRpcTimeout(Duration.ofSeconds(10)));
        Adder adder = new WritableRpcEngine().getProxy(Adder.class, Adder.versionID,
            ConnectionId.of(address, RPC.getProtocolName(Adder.class)), client);
        ProtocolMetaInfoPB metaInfo = new ProtobufRpcEngine().getProxy(ProtocolMetaInfoPB.class,
            1, ConnectionId.of(address, RPC.getProtocolName(ProtocolMetaInfoPB.class)), client);

        assertThat(upper.apply("one server, three engines"))
            .isEqualTo("ONE SERVER, THREE ENGINES");
        assertThat(adder.add(40, 2)).isEqualTo(42);
        GetProtocolVersionsResponseProto versions = metaInfo.getProtocolVersions(null,
            GetProtocolVersionsRequestProto.newBuilder()
                .setProtocol(Upper.class.getName()).build());
        assertThat(versions.getProtocolVersionsList())
            .extracting(ProtocolVersionProto::getRpcKind)
            .as("the meta-info service lists the line engine's protocol under its kind")
            .contains(RpcKind.RPC_BUILTIN.name());
      }
    }
    Threads.assertNoneAlive(name, Duration.ofSeconds(5));
  }

  @Test
  void theLineEngineChecksWhatItHostsAndHoldsItsKind() {
    try (Server server = Server.builder().name(Threads.uniqueName("linechk")).build()) {
      assertThatThrownBy(() -> server.addProtocol(new LineEngine(), Upper.class, "not a line"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LineService");
      server.addProtocol(new LineEngine(), Upper.class, (LineService) s -> s);
      assertThatThrownBy(() -> server.registerEngine(io.tusk.rpc.spi.ServerEngine.of("other",
          RpcKind.RPC_BUILTIN, b -> b, (p, c, r) -> io.tusk.rpc.RpcPayload.empty())))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining(LineEngine.ID);
    }
  }
}
