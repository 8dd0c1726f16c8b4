package io.tusk.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.spi.ProxyOptions;
import io.tusk.rpc.spi.ServerEngine;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Timeout(10)
@ExtendWith(LeakCheck.class)
class RpcFacadeTest {
  @ProtocolInfo(protocolName = "com.example.Named", protocolVersion = 4)
  interface Named {}

  interface Legacy {
    long versionID = 9L;
  }

  interface Unversioned {}

  /** A do-nothing engine, to see that the per-protocol setting picks it. */
  public static final class FakeEngine implements RpcEngine {
    @Override
    public RpcKind kind() {
      return RpcKind.RPC_BUILTIN;
    }

    @Override
    public ServerEngine<?> newServerEngine() {
      return ServerEngine.of("test.fake", RpcKind.RPC_BUILTIN, b -> b,
          (s, c, r) -> RpcPayload.empty());
    }

    @Override
    public <T> T newProxy(Class<T> protocol, ConnectionId remote, Client client,
        ProxyOptions options) {
      throw new UnsupportedOperationException("fake");
    }
  }

  @Test
  void protocolNameAndVersionComeFromTheAnnotation() {
    assertThat(RPC.getProtocolName(Named.class)).isEqualTo("com.example.Named");
    assertThat(RPC.getProtocolVersion(Named.class)).isEqualTo(4);
  }

  @Test
  void versionFallsBackToVersionIdField() {
    assertThat(RPC.getProtocolName(Legacy.class)).isEqualTo(Legacy.class.getName());
    assertThat(RPC.getProtocolVersion(Legacy.class)).isEqualTo(9);
    assertThatThrownBy(() -> RPC.getProtocolVersion(Unversioned.class))
        .hasMessageContaining("versionID");
  }

  @Test
  void engineSettingPicksTheEnginePerProtocol() {
    Configuration conf = new Configuration();
    RPC.setProtocolEngine(conf, Named.class, FakeEngine.class);

    assertThat(conf.get("rpc.engine." + Named.class.getName())).isEqualTo(FakeEngine.class.getName());
    assertThat(RPC.getProtocolEngine(Named.class, conf)).isInstanceOf(FakeEngine.class)
        .isSameAs(RPC.getProtocolEngine(Named.class, conf));
  }

  @Test
  void missingDefaultEngineGivesAHint() {
    // rpc-core alone has no engine on its classpath
    assertThatThrownBy(() -> RPC.getProtocolEngine(Legacy.class, new Configuration()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("rpc-engine-writable");
  }

  @Test
  void serverHalvesOfOneEngineShareItsId() {
    ServerEngine<?> a = new FakeEngine().newServerEngine();
    ServerEngine<?> b = new FakeEngine().newServerEngine();

    assertThat(a).isNotSameAs(b);
    assertThat(a.id()).isEqualTo(b.id());
    assertThat(a.kind()).isEqualTo(b.kind());
  }
}
