package io.tusk.rpc.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.rpc.RPC;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.conf.IpcKeys;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsRequestProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolInfoService;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A PB interface (extending a generated {@code BlockingInterface}) needs no
 * {@code rpc.engine.<iface>} setting: the protobuf engine claims it, on the client
 * ({@code RPC.getProxy}) and on the server ({@code RPC.Builder}, {@code addProtocol}). This
 * module's tests have no Writable engine on the class path, the situation in which forgetting the
 * setting used to fail with "is rpc-engine-writable on the classpath?".
 */
@Timeout(30)
@ExtendWith(LeakCheck.class)
class ProtobufEngineWithoutSettingTest {

  /** A hand-written interface: not a generated BlockingInterface, so not claimed. */
  interface HandWritten {
    String hello() throws IOException;
  }

  @Test
  void claimsInterfacesExtendingAGeneratedBlockingInterfaceOnly() {
    ProtobufRpcEngine engine = new ProtobufRpcEngine();

    assertThat(engine.claims(TestInfoPB.class)).isTrue();
    assertThat(engine.claims(TestInfoPB.V4.class)).isTrue();
    assertThat(engine.claims(ProtocolInfoService.BlockingInterface.class)).isTrue();
    assertThat(engine.claims(ProtocolMetaInfoPB.class)).isTrue();
    assertThat(engine.claims(HandWritten.class)).isFalse();
    assertThat(engine.claims(Runnable.class)).isFalse();
    assertThat(engine.claims(ProtocolInfoService.class)).as("the service class itself").isFalse();
  }

  @Test
  void theFacadeServesAndCallsAPbInterfaceWithoutTheSetting() throws Exception {
    Configuration conf = new Configuration().setInt(IpcKeys.CLIENT_CONNECT_MAX_RETRIES, 0);
    assertThat(conf.get(IpcKeys.RPC_ENGINE_PREFIX + TestInfoPB.class.getName())).isNull();
    assertThat(RPC.getProtocolEngine(TestInfoPB.class, conf))
        .isInstanceOf(ProtobufRpcEngine.class);

    try (RPC.Server server = new RPC.Builder(conf).setProtocol(TestInfoPB.class)
        .setInstance(TestInfoService.blocking(3)).setBindAddress("127.0.0.1").setPort(0)
        .setName(Threads.uniqueName("pbnoset")).build()) {
      server.addProtocol(RpcKind.RPC_PROTOCOL_BUFFER, TestInfoPB.V4.class,
          TestInfoService.blocking(4));
      server.start();
      InetSocketAddress address = server.getListenerAddress();
      TestInfoPB v3 = RPC.getProxy(TestInfoPB.class, 3, address, conf);
      TestInfoPB.V4 v4 = RPC.getProxy(TestInfoPB.V4.class, 4, address, conf);
      try {
        GetProtocolVersionsRequestProto request =
            GetProtocolVersionsRequestProto.newBuilder().setProtocol("x").build();
        assertThat(v3).isInstanceOf(ProtobufProxy.class);
        assertThat(v3.getProtocolVersions(null, request).getProtocolVersions(0).getVersions(0))
            .isEqualTo(3);
        assertThat(v4.getProtocolVersions(null, request).getProtocolVersions(0).getVersions(0))
            .isEqualTo(4);
      } finally {
        RPC.stopProxy(v3);
        RPC.stopProxy(v4);
      }
    }
  }

  @Test
  void hostingAPbInterfaceWithTheWritableKindNamesTheKindToUse() throws Exception {
    Configuration conf = new Configuration();
    try (RPC.Server server = new RPC.Builder(conf).setProtocol(TestInfoPB.class)
        .setInstance(TestInfoService.blocking(3)).setBindAddress("127.0.0.1").setPort(0)
        .setName(Threads.uniqueName("pbwrongkind")).build()) {
      assertThatThrownBy(() -> server.addProtocol(RpcKind.RPC_WRITABLE, TestInfoPB.V4.class,
          TestInfoService.blocking(4)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(TestInfoPB.V4.class.getName())
          .hasMessageContaining("host it with RPC_PROTOCOL_BUFFER");
    }
  }

  @Test
  void anUnclaimedInterfaceWithoutAWritableEngineNamesTheExactSetting() {
    Configuration conf = new Configuration();

    assertThatThrownBy(() -> RPC.getProxy(HandWritten.class, 1,
        new InetSocketAddress("127.0.0.1", 9), conf))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("rpc.engine." + HandWritten.class.getName()
            + "=io.tusk.rpc.protobuf.ProtobufRpcEngine")
        .hasMessageNotContaining("is rpc-engine-writable on the classpath?");
    assertThatThrownBy(() -> new RPC.Builder(conf).setProtocol(HandWritten.class)
        .setInstance((HandWritten) () -> "hi").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("rpc.engine." + HandWritten.class.getName() + "=");
  }
}
