package io.tusk.rpc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.spi.ProtocolBinding;
import io.tusk.rpc.spi.ProtocolBindings;
import io.tusk.rpc.spi.ServerEngine;
import io.tusk.rpc.testing.EchoEngine;
import io.tusk.rpc.testing.Threads;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The registry's per-kind bindings, what invokers get for every call: resolved when a protocol is
 * added, found without resolving again, replaced (with a fresh method cache) when an
 * implementation is, and the engine identity that decides which engine a kind keeps.
 */
@Timeout(30)
class ProtocolBindingsTest {

  @Test
  void lookupsDoNotResolveAgainAndMethodsResolveOncePerBinding() {
    ProtocolRegistry registry = new ProtocolRegistry();
    registry.add(RpcKind.RPC_BUILTIN, "p", 1, null, "one");
    ProtocolBindings bindings = registry.bindings(RpcKind.RPC_BUILTIN);
    long built = registry.bindingsBuilt();
    AtomicInteger resolved = new AtomicInteger();

    for (int i = 0; i < 1000; i++) {
      ProtocolBinding binding = bindings.get("p", 1);
      String method = binding.method("m", k -> "resolved-" + resolved.incrementAndGet());
      assertThat(method).isEqualTo("resolved-1");
    }

    assertThat(registry.bindingsBuilt()).isEqualTo(built);
    assertThat(resolved).hasValue(1);
    assertThat(bindings.get("p", 1).methodResolutions()).isEqualTo(1);
  }

  @Test
  void unknownMethodsAreNotCached() {
    ProtocolRegistry registry = new ProtocolRegistry();
    registry.add(RpcKind.RPC_BUILTIN, "p", 1, null, "one");
    ProtocolBinding binding = registry.bindings(RpcKind.RPC_BUILTIN).get("p", 1);

    for (int i = 0; i < 10; i++) {
      assertThat((Object) binding.method("nope" + i, k -> null)).isNull();
    }
    assertThat((Object) binding.method("nope0", k -> "now")).isEqualTo("now");
  }

  @Test
  void replacingAnImplementationGivesAFreshBindingAndKeepsTheOthers() {
    ProtocolRegistry registry = new ProtocolRegistry();
    registry.add(RpcKind.RPC_BUILTIN, "p", 1, null, "old");
    registry.add(RpcKind.RPC_BUILTIN, "p", 2, null, "two");
    ProtocolBindings bindings = registry.bindings(RpcKind.RPC_BUILTIN);
    ProtocolBinding before = bindings.get("p", 1);
    ProtocolBinding two = bindings.get("p", 2);
    before.method("m", k -> "cached for old");

    registry.add(RpcKind.RPC_BUILTIN, "p", 1, null, "new");

    ProtocolBinding after = bindings.get("p", 1);
    assertThat(after).isNotSameAs(before);
    assertThat(after.implementation()).isEqualTo("new");
    assertThat((Object) after.method("m", k -> "cached for new")).isEqualTo("cached for new");
    assertThat(bindings.get("p", 2)).isSameAs(two);
    assertThat(bindings.highest("p")).isSameAs(two);
    assertThat(registry.bindings(RpcKind.RPC_WRITABLE).get("p", 1)).isNull();
  }

  /** An engine answering with the implementation hosted as "greeting" v1, looked up per call. */
  private static ServerEngine<String> greetingEngine(AtomicInteger resolutions) {
    return ServerEngine.of("test.greeting", RpcKind.RPC_BUILTIN,
        bytes -> StandardCharsets.UTF_8.decode(bytes).toString(),
        (protocols, call, request) -> {
          ProtocolBinding binding = protocols.get("greeting", 1);
          if (binding == null) {
            throw new java.io.IOException("no greeting hosted");
          }
          String suffix = binding.method(request, m -> {
            resolutions.incrementAndGet();
            return "!";
          });
          return RpcPayload.ofBytes((binding.implementation() + " " + request + suffix)
              .getBytes(StandardCharsets.UTF_8));
        });
  }

  @Test
  void aProtocolAddedOrReplacedWhileServingIsSeenByTheNextCall() throws Exception {
    String name = Threads.uniqueName("bind");
    AtomicInteger resolutions = new AtomicInteger();
    ServerEngine<String> engine = greetingEngine(resolutions);
    try (Server server = Server.builder().name(name + "-srv").engine(engine).build().start();
        Client client = Client.builder().name(name + "-cli").build()) {
      ConnectionId remote = ConnectionId.of(server.getListenerAddress(), "greeting");

      assertThatThrownBy(() -> call(client, remote, "bob")).hasMessageContaining("no greeting");
      server.addProtocol(engine, Greeting.class, "hello");
      assertThat(call(client, remote, "bob")).isEqualTo("hello bob!");
      assertThat(call(client, remote, "bob")).isEqualTo("hello bob!");
      assertThat(resolutions).as("one resolution for two calls").hasValue(1);

      server.addProtocol(engine, Greeting.class, "goodbye");
      assertThat(call(client, remote, "bob")).isEqualTo("goodbye bob!");
      assertThat(resolutions).as("the new binding resolves afresh").hasValue(2);
    }
    Threads.assertNoneAlive(name, java.time.Duration.ofSeconds(5));
  }

  @io.tusk.rpc.ProtocolInfo(protocolName = "greeting", protocolVersion = 1)
  interface Greeting {}

  private static String call(Client client, ConnectionId remote, String text) throws Exception {
    ByteBuffer answer = client.call(RpcKind.RPC_BUILTIN,
        RpcPayload.ofBytes(text.getBytes(StandardCharsets.UTF_8)), remote);
    return StandardCharsets.UTF_8.decode(answer).toString();
  }

  @Test
  void theSameEngineIdAgainIsANoOpAndAnotherIdForATakenKindFails() {
    try (Server server = Server.builder().name(Threads.uniqueName("ids")).build()) {
      server.registerEngine(EchoEngine.registration());
      server.registerEngine(EchoEngine.registration()); // another instance, same id

      ServerEngine<ByteBuffer> other = ServerEngine.of("test.other", RpcKind.RPC_BUILTIN,
          b -> b, (p, c, r) -> RpcPayload.empty());
      assertThatThrownBy(() -> server.registerEngine(other))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("test.echo").hasMessageContaining("test.other");
    }
  }
}
