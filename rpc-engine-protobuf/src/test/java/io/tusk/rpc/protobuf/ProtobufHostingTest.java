package io.tusk.rpc.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.rpc.RPC;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsRequestProto;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hosting with the protobuf engine: a wrong implementation fails when it is added, a verbose
 * facade server accepts a plain registration of the same engine, and closing a facade proxy gives
 * its client back.
 */
@Timeout(30)
@ExtendWith(LeakCheck.class)
class ProtobufHostingTest {

  @Test
  void anImplementationThatIsNotABlockingServiceFailsAtAddProtocol() {
    try (Server server = Server.builder().name(Threads.uniqueName("pbhost")).build()) {
      assertThatThrownBy(() -> server.addProtocol(new ProtobufRpcEngine().newServerEngine(),
          TestInfoPB.class, new TestInfoService(3)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(TestInfoPB.class.getName())
          .hasMessageContaining("BlockingService");
      assertThat(server.protocols().all()).isEmpty();
    }
  }

  @Test
  void theFacadeRejectsAWrongImplementationAtAddProtocolToo() throws Exception {
    Configuration conf = new Configuration();
    RPC.setProtocolEngine(conf, TestInfoPB.class, ProtobufRpcEngine.class);
    try (RPC.Server server = new RPC.Builder(conf).setProtocol(TestInfoPB.class)
        .setInstance(TestInfoService.blocking(3)).setName(Threads.uniqueName("pbfac")).build()) {
      assertThatThrownBy(() -> server.addProtocol(RpcKind.RPC_PROTOCOL_BUFFER,
          TestInfoPB.V4.class, "not a service"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("java.lang.String");
    }
  }

  @Test
  void aVerboseFacadeServerAcceptsThePlainEngineForMoreProtocols() throws Exception {
    String name = Threads.uniqueName("pbverb");
    Configuration conf = new Configuration();
    RPC.setProtocolEngine(conf, TestInfoPB.class, ProtobufRpcEngine.class);
    RPC.setProtocolEngine(conf, TestInfoPB.V4.class, ProtobufRpcEngine.class);
    try (RPC.Server server = new RPC.Builder(conf).setProtocol(TestInfoPB.class)
        .setInstance(TestInfoService.blocking(3)).setVerbose(true).setName(name).build()) {
      ProtobufRpcEngine.addProtocol(server.server(), TestInfoPB.V4.class,
          TestInfoService.blocking(4));
      server.start();
      InetSocketAddress address = server.getListenerAddress();
      TestInfoPB.V4 v4 = RPC.getProxy(TestInfoPB.V4.class, 4, address, conf);
      try {
        assertThat(v4.getProtocolVersions(null, GetProtocolVersionsRequestProto.newBuilder()
            .setProtocol("x").build()).getProtocolVersions(0).getVersions(0)).isEqualTo(4);
      } finally {
        RPC.stopProxy(v4);
      }
    }
    Threads.assertNoneAlive(name, Duration.ofSeconds(5));
  }

  @Test
  void closingAFacadeProxyGivesItsClientBack() throws Exception {
    Configuration conf = new Configuration();
    RPC.setProtocolEngine(conf, TestInfoPB.class, ProtobufRpcEngine.class);
    try (RPC.Server server = new RPC.Builder(conf).setProtocol(TestInfoPB.class)
        .setInstance(TestInfoService.blocking(3)).setName(Threads.uniqueName("pbclose")).build()
        .start()) {
      int before = RPC.clientCache().size();
      TestInfoPB first = RPC.getProxy(TestInfoPB.class, 3, server.getListenerAddress(), conf);
      TestInfoPB second = RPC.getProxy(TestInfoPB.class, 3, server.getListenerAddress(), conf);
      Client client = ((ProtobufProxy) first).client();
      assertThat(((ProtobufProxy) second).client()).isSameAs(client);
      assertThat(RPC.clientCache().references(client)).isEqualTo(2);
      assertThat(first.getProtocolVersions(null, GetProtocolVersionsRequestProto.newBuilder()
          .setProtocol("x").build()).getProtocolVersionsCount()).isEqualTo(1);

      ((ProtobufProxy) first).close();
      ((ProtobufProxy) first).close(); // idempotent: one reference given back
      assertThat(RPC.clientCache().references(client)).isEqualTo(1);
      RPC.stopProxy(first); // after close(): nothing more to give back
      assertThat(RPC.clientCache().references(client)).isEqualTo(1);

      ((ProtobufProxy) second).close();
      assertThat(RPC.clientCache().references(client)).isZero();
      assertThat(RPC.clientCache().size()).isEqualTo(before);
      assertThat(client.connectionCount()).as("the last close closed the client").isZero();
    }
  }
}
