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
}
