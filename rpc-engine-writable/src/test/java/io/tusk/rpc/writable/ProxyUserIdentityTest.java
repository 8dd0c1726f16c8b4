package io.tusk.rpc.writable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tusk.rpc.ProtocolInfo;
import io.tusk.rpc.RPC;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.conf.IpcKeys;
import io.tusk.rpc.security.UserIdentity;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The facade's user through Writable proxies: a proxy made inside {@code doAs} calls as that user,
 * one made outside keeps its own, {@code RPC.getProxy(..., UserIdentity, conf)} takes a proxy user
 * the server's rules admit, and {@code RPC.call} inside {@code doAs} calls as the doAs user.
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class ProxyUserIdentityTest {
  /** Answers who the server thinks the caller is. */
  @ProtocolInfo(protocolName = "test.WhoAmI", protocolVersion = 1)
  public interface WhoAmI {
    String whoAmI() throws IOException;
  }

  /** {@code Server.getRemoteUserIdentity().toString()}. */
  public static final class WhoAmIImpl implements WhoAmI {
    @Override
    public String whoAmI() {
      return String.valueOf(Server.getRemoteUserIdentity());
    }
  }

  private final List<Object> proxies = new ArrayList<>();
  private String name;
  private Configuration conf;
  private RPC.Server server;
  private InetSocketAddress address;

  @BeforeEach
  void start() throws IOException {
    name = Threads.uniqueName("identity-w");
    conf = new Configuration().setInt(IpcKeys.CLIENT_CONNECT_MAX_RETRIES, 0)
        .set("hadoop.proxyuser.root.users", "alice").set("hadoop.proxyuser.root.hosts", "*");
    server = new RPC.Builder(conf).setProtocol(WhoAmI.class).setInstance(new WhoAmIImpl())
        .setBindAddress("127.0.0.1").setPort(0).setNumHandlers(1).setName(name).build().start();
    address = new InetSocketAddress("127.0.0.1", server.getPort());
  }

  @AfterEach
  void stop() {
    proxies.forEach(RPC::stopProxy);
    server.close();
    Threads.assertNoneAlive(name, Duration.ofSeconds(10));
  }

  private WhoAmI proxy() throws IOException {
    WhoAmI proxy = RPC.getProxy(WhoAmI.class, 1, address, conf);
    proxies.add(proxy);
    return proxy;
  }

  private WhoAmI proxy(UserIdentity user) throws IOException {
    WhoAmI proxy = RPC.getProxy(WhoAmI.class, 1, address, user, conf);
    proxies.add(proxy);
    return proxy;
  }

  @Test
  void aProxyMadeInsideDoAsCallsAsThatUserAndOneMadeOutsideKeepsItsOwn() throws Exception {
    UserIdentity bob = UserIdentity.createRemoteUser("bob");
    WhoAmI outside = proxy();

    WhoAmI inside = bob.doAs(this::proxy);

    assertThat(inside.whoAmI()).isEqualTo("bob (auth:SIMPLE)");
    assertThat(bob.doAs(outside::whoAmI)).as("as Hadoop: the proxy keeps its user")
        .isEqualTo(UserIdentity.getLoginUser().toString());
    assertThat(outside.whoAmI()).isEqualTo(UserIdentity.getLoginUser().toString());
  }

  @Test
  void getProxyWithAProxyUserIdentityIsAdmittedByTheRule() throws Exception {
    UserIdentity root = UserIdentity.createRemoteUser("root");

    assertThat(proxy(UserIdentity.createProxyUser("alice", root)).whoAmI())
        .isEqualTo("alice (auth:PROXY) via root (auth:SIMPLE)");
    Throwable refused = catchThrowable(() ->
        proxy(UserIdentity.createProxyUser("mallory", root)).whoAmI());
    assertThat(refused).hasMessageContaining("User: root is not allowed to impersonate mallory");
    assertThat(proxy(root).whoAmI()).isEqualTo("root (auth:SIMPLE)");
  }

  @Test
  void rpcCallInsideDoAsCallsAsTheDoAsUser() throws Exception {
    Method method = WhoAmI.class.getMethod("whoAmI");
    UserIdentity carol = UserIdentity.createRemoteUser("carol");

    Object[] answers = carol.doAs(() -> RPC.call(method, new Object[][] {{}},
        new InetSocketAddress[] {address}, conf));

    assertThat(answers).containsExactly("carol (auth:SIMPLE)");
  }
}
