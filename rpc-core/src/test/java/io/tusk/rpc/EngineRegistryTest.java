package io.tusk.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
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
    RpcEngine shared = new RpcFacadeTest.FakeEngine();
    AtomicInteger lookups = new AtomicInteger();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
        getClass().getClassLoader())) {
      EngineRegistry registry = EngineRegistry.load(loader, type -> {
        lookups.incrementAndGet();
        return shared;
      });
      assertThat(registry.forKind(RpcKind.RPC_BUILTIN)).isSameAs(shared);
      assertThat(registry.forKind(RpcKind.RPC_BUILTIN)).isSameAs(shared);
      assertThat(registry.forKind(RpcKind.RPC_PROTOCOL_BUFFER)).isNull();
      assertThat(registry.all()).containsExactly(shared);
    }
    assertThat(lookups).hasValue(1); // one scan, however often it is asked
  }
}
