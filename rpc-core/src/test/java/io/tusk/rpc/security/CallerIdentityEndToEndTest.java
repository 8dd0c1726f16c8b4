package io.tusk.rpc.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tusk.rpc.RemoteException;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.server.CallContext;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.testing.Await;
import io.tusk.rpc.testing.EchoEngine;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tusk's client and server over loopback: a proxy-user identity's connection context names both
 * users, the server's rules admit or refuse it, the handler sees the identity, connections are
 * per identity, and {@code doAs} picks the user of connection ids made inside it.
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class CallerIdentityEndToEndTest {
  private final String name = Threads.uniqueName("identity");
  private final AtomicReference<UserIdentity> seen = new AtomicReference<>();
  private final AtomicReference<CallContext> context = new AtomicReference<>();
  private Server server;
  private Client client;
  private InetSocketAddress address;

  private void start(Configuration conf) throws IOException {
    server = Server.builder().name(name + "-srv").configuration(conf)
        .engine(EchoEngine.registration())
        .interceptor((call, next) -> {
          seen.set(Server.getRemoteUserIdentity());
          context.set(call.context());
          return next.proceed();
        }).build().start();
    client = Client.builder().name(name + "-cli").build();
    address = new InetSocketAddress("127.0.0.1", server.getListenerAddress().getPort());
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    Threads.assertNoneAlive(name, Duration.ofSeconds(10));
  }

  private String call(ConnectionId remote, String text) throws IOException {
    return StandardCharsets.UTF_8.decode(client.call(RpcKind.RPC_BUILTIN,
        RpcPayload.ofBytes(text.getBytes(StandardCharsets.UTF_8)), remote)).toString();
  }

  private static Configuration rootMayActForAlice() {
    return new Configuration().set("hadoop.proxyuser.root.users", "alice")
        .set("hadoop.proxyuser.root.hosts", "127.0.0.1");
  }

  @Test
  void withARuleTheHandlerSeesTheProxyUserViaItsRealUser() throws IOException {
    start(rootMayActForAlice());
    UserIdentity alice =
        UserIdentity.createProxyUser("alice", UserIdentity.createRemoteUser("root"));

    assertThat(call(ConnectionId.of(address, "test.echo", alice), "hi")).isEqualTo("hi");

    assertThat(seen.get()).isEqualTo(alice)
        .hasToString("alice (auth:PROXY) via root (auth:SIMPLE)");
    assertThat(context.get().user()).isEqualTo("alice");
    assertThat(context.get().realUser()).isEqualTo("root");
    assertThat(context.get().userIdentity()).isEqualTo(alice);
    assertThat(Server.getRemoteUserIdentity()).as("outside a call").isNull();
  }

  @Test
  void withoutARuleTheProxyUserIsRefusedAndNoHandlerRuns() throws IOException {
    start(new Configuration());
    UserIdentity alice =
        UserIdentity.createProxyUser("alice", UserIdentity.createRemoteUser("root"));

    RemoteException e = catchThrowableOfType(RemoteException.class,
        () -> call(ConnectionId.of(address, "test.echo", alice), "hi"));

    assertThat(e.getClassName())
        .isEqualTo("org.apache.hadoop.security.authorize.AuthorizationException");
    assertThat(e.getMessage()).isEqualTo("User: root is not allowed to impersonate alice");
    assertThat(seen.get()).isNull();
    // The server keeps serving the same user acting as itself.
    assertThat(call(ConnectionId.of(address, "test.echo", UserIdentity.createRemoteUser("alice")),
        "again")).isEqualTo("again");
    assertThat(seen.get()).hasToString("alice (auth:SIMPLE)");
  }

  @Test
  void aUserAndTheSameUserViaARealUserGetTwoConnections() throws Exception {
    start(rootMayActForAlice());
    ConnectionId plain = ConnectionId.of(address, "test.echo",
        UserIdentity.createRemoteUser("alice"));
    ConnectionId proxied = ConnectionId.of(address, "test.echo",
        UserIdentity.createProxyUser("alice", UserIdentity.createRemoteUser("root")));
    assertThat(plain).isNotEqualTo(proxied);

    call(plain, "a");
    assertThat(seen.get()).hasToString("alice (auth:SIMPLE)");
    call(proxied, "b");
    assertThat(seen.get()).hasToString("alice (auth:PROXY) via root (auth:SIMPLE)");
    call(plain, "c");
    assertThat(seen.get()).hasToString("alice (auth:SIMPLE)");

    Await.until(Duration.ofSeconds(10), "two connections",
        () -> server.getNumOpenConnections() == 2);
    assertThat(server.getNumOpenConnections()).isEqualTo(2);
  }

  @Test
  void connectionIdsMadeInsideDoAsCallAsThatUser() throws Exception {
    start(new Configuration());
    UserIdentity bob = UserIdentity.createRemoteUser("bob");

    ConnectionId inside = bob.doAs(() -> ConnectionId.of(address, "test.echo"));
    call(inside, "x");
    assertThat(seen.get()).isEqualTo(bob);

    call(ConnectionId.of(address, "test.echo"), "y");
    assertThat(seen.get()).isEqualTo(UserIdentity.getLoginUser());
  }

  @Test
  void theHandlersIdentityReadsGroupsThroughTheServersMapping() throws Exception {
    start(rootMayActForAlice().set(GroupMapping.STATIC_OVERRIDES_KEY,
        "alice=staff,admins;root=wheel"));
    UserIdentity alice =
        UserIdentity.createProxyUser("alice", UserIdentity.createRemoteUser("root"));

    call(ConnectionId.of(address, "test.echo", alice), "hi");

    assertThat(seen.get().groups()).containsExactly("staff", "admins");
    assertThat(seen.get().realUser().groups()).containsExactly("wheel");
    assertThat(context.get().userIdentity().primaryGroup()).isEqualTo("staff");
  }
}
