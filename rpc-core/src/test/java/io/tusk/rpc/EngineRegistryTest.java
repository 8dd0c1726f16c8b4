package io.tusk.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.rpc.conf.Configuration;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The facade's engines come from one scan of the service files, as shared instances. */
@Timeout(10)
class EngineRegistryTest {

  @Test
  void findsTheListedEnginesOnceAndMapsThemToTheSharedInstances(@TempDir Path dir)
      throws Exception {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve(RpcEngine.class.getName()),
        "# a test engine\n" + RpcFacadeTest.FakeEngine.class.getName() + "\n",
        StandardCharsets.UTF_8);
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
        getClass().getClassLoader())) {
      EngineRegistry registry = EngineRegistry.load(loader);
      RpcEngine found = registry.forKind(RpcKind.RPC_BUILTIN);
      assertThat(found).isInstanceOf(RpcFacadeTest.FakeEngine.class)
          .isSameAs(registry.forKind(RpcKind.RPC_BUILTIN));
      assertThat(registry.engines()).containsExactly(found);
      assertThatThrownBy(() -> registry.forKind(RpcKind.RPC_PROTOCOL_BUFFER))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("rpc-engine-protobuf");
      // a setting naming the listed class gets the listed instance, not a second one
      Configuration conf = new Configuration();
      RPC.setProtocolEngine(conf, Runnable.class, RpcFacadeTest.FakeEngine.class);
      assertThat(registry.forProtocol(Runnable.class, conf)).isSameAs(found);
    }
  }

  @Test
  void aRegistryMadeByHandHoldsExactlyWhatItWasGiven() {
    RpcEngine fake = new RpcFacadeTest.FakeEngine();
    EngineRegistry registry = EngineRegistry.of(java.util.List.of(fake), java.util.List.of());

    assertThat(registry.forKind(RpcKind.RPC_BUILTIN)).isSameAs(fake);
    assertThat(registry.builtinProtocols()).isEmpty();
  }

  /** An interface only {@link ClaimingEngine} can serve (as a protobuf BlockingInterface). */
  interface Claimed {}

  /** A plain interface nobody claims. */
  interface Plain {}

  /** An engine of {@code kind} that claims {@link Claimed} and its subinterfaces. */
  static class ClaimingEngine implements RpcEngine {
    private final RpcKind kind;

    ClaimingEngine(RpcKind kind) {
      this.kind = kind;
    }

    @Override
    public RpcKind kind() {
      return kind;
    }

    @Override
    public boolean claims(Class<?> protocol) {
      return Claimed.class.isAssignableFrom(protocol);
    }

    @Override
    public io.tusk.rpc.spi.ServerEngine<?> newServerEngine() {
      throw new UnsupportedOperationException("fake");
    }

    @Override
    public <T> T newProxy(Class<T> protocol, io.tusk.rpc.client.ConnectionId remote,
        io.tusk.rpc.client.Client client, io.tusk.rpc.spi.ProxyOptions options) {
      throw new UnsupportedOperationException("fake");
    }
  }

  /** Claims nothing, of {@code kind} (the Writable engine's role when of RPC_WRITABLE). */
  static final class PlainEngine extends ClaimingEngine {
    PlainEngine(RpcKind kind) {
      super(kind);
    }

    @Override
    public boolean claims(Class<?> protocol) {
      return false;
    }
  }

  @Test
  void withoutASettingTheEngineThatClaimsAProtocolIsChosenElseTheWritableOne() {
    RpcEngine writable = new PlainEngine(RpcKind.RPC_WRITABLE);
    RpcEngine claiming = new ClaimingEngine(RpcKind.RPC_PROTOCOL_BUFFER);
    EngineRegistry registry = EngineRegistry.of(java.util.List.of(writable, claiming),
        java.util.List.of());
    Configuration conf = new Configuration();

    assertThat(registry.forProtocol(Claimed.class, conf)).isSameAs(claiming);
    assertThat(registry.forProtocol(Plain.class, conf)).isSameAs(writable);
    // a setting still wins over a claim
    RPC.setProtocolEngine(conf, Claimed.class, RpcFacadeTest.FakeEngine.class);
    assertThat(registry.forProtocol(Claimed.class, conf))
        .isInstanceOf(RpcFacadeTest.FakeEngine.class);
  }

  @Test
  void withNeitherAClaimNorAWritableEngineTheErrorNamesTheExactSetting() {
    EngineRegistry registry = EngineRegistry.of(
        java.util.List.of(new ClaimingEngine(RpcKind.RPC_PROTOCOL_BUFFER)), java.util.List.of());

    assertThatThrownBy(() -> registry.forProtocol(Plain.class, new Configuration()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("rpc.engine." + Plain.class.getName()
            + "=io.tusk.rpc.protobuf.ProtobufRpcEngine")
        .hasMessageContaining(ClaimingEngine.class.getName())
        .hasMessageNotContaining("is rpc-engine-writable on the classpath?");
  }

  @Test
  void twoEnginesClaimingOneProtocolAskForTheSetting() {
    EngineRegistry registry = EngineRegistry.of(java.util.List.of(
        new ClaimingEngine(RpcKind.RPC_PROTOCOL_BUFFER), new ClaimingEngine(RpcKind.RPC_BUILTIN)),
        java.util.List.of());

    assertThatThrownBy(() -> registry.forProtocol(Claimed.class, new Configuration()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("both claim")
        .hasMessageContaining("rpc.engine." + Claimed.class.getName() + "=");
  }

  @Test
  void hostingAClaimedProtocolWithAnotherKindNamesTheKindToUse() {
    RpcEngine writable = new PlainEngine(RpcKind.RPC_WRITABLE);
    RpcEngine claiming = new ClaimingEngine(RpcKind.RPC_PROTOCOL_BUFFER);
    EngineRegistry registry = EngineRegistry.of(java.util.List.of(writable, claiming),
        java.util.List.of());
    Configuration conf = new Configuration();

    assertThat(registry.forKind(RpcKind.RPC_PROTOCOL_BUFFER, Claimed.class, conf))
        .isSameAs(claiming);
    assertThat(registry.forKind(RpcKind.RPC_WRITABLE, Plain.class, conf)).isSameAs(writable);
    assertThatThrownBy(() -> registry.forKind(RpcKind.RPC_WRITABLE, Claimed.class, conf))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host it with RPC_PROTOCOL_BUFFER");
    assertThatThrownBy(() -> registry.forKind(RpcKind.RPC_BUILTIN, Plain.class, conf))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("rpc.engine." + Plain.class.getName() + "=");
  }
}
