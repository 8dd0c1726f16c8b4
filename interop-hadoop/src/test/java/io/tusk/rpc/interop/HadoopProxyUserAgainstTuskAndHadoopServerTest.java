package io.tusk.rpc.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tusk.rpc.RpcKind;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.security.UserIdentity;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.testing.EchoEngine;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.ipc.Client;
import org.apache.hadoop.ipc.HadoopIpcAccess;
import org.apache.hadoop.ipc.RemoteException;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.authorize.ProxyUsers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Hadoop 3.4.2 client impersonating {@code alice} as {@code root}
 * ({@code createProxyUser("alice", createRemoteUser("root"))}) against a Tusk server and against
 * a real Hadoop server configured alike: the refusal without a {@code hadoop.proxyuser} rule is
 * the same on both; with a rule the Tusk handler sees alice via root; a rule added at run time
 * ({@code refreshSuperUserGroupsConfiguration}) takes effect for new connections.
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class HadoopProxyUserAgainstTuskAndHadoopServerTest {
  private final AtomicReference<String> seen = new AtomicReference<>();
  private final AtomicReference<UserIdentity> seenIdentity = new AtomicReference<>();
  private Server tusk;
  private String tuskName;
  private HadoopEchoServer hadoop;
  private Client hadoopClient;
  private Configuration clientConf;
  private final UserGroupInformation proxy =
      UserGroupInformation.createProxyUser("alice", UserGroupInformation.createRemoteUser("root"));

  @BeforeEach
  void start() {
    clientConf = new Configuration();
    clientConf.setInt("ipc.client.connect.max.retries", 0);
    clientConf.setInt("ipc.client.connection.maxidletime", 200);
    hadoopClient = new Client(RawBytesWritable.class, clientConf);
  }

  @AfterEach
  void stop() {
    hadoopClient.stop();
    if (tusk != null) {
      tusk.close();
      Threads.assertNoneAlive(tuskName, Duration.ofSeconds(10));
    }
    if (hadoop != null) {
      hadoop.stop();
    }
    ProxyUsers.refreshSuperUserGroupsConfiguration(new Configuration(false));
  }

  private InetSocketAddress startTusk(io.tusk.rpc.conf.Configuration conf) throws IOException {
    tuskName = Threads.uniqueName("tusk-proxyuser");
    tusk = Server.builder().name(tuskName).configuration(conf).engine(EchoEngine.registration())
        .interceptor((call, next) -> {
          seen.set(call.context().user() + " via " + call.context().realUser());
          seenIdentity.set(Server.getRemoteUserIdentity());
          return next.proceed();
        }).build().start();
    return new InetSocketAddress("127.0.0.1", tusk.getListenerAddress().getPort());
  }

  private String callAsProxy(InetSocketAddress address) throws Exception {
    return proxy.doAs((PrivilegedExceptionAction<String>) () -> Writables.text(
        (RawBytesWritable) HadoopIpcAccess.call(hadoopClient, Writables.writable("hi"),
            HadoopIpcAccess.connectionId(address, EchoProtocol.class, clientConf))));
  }

  private RemoteException refusal(InetSocketAddress address) {
    return catchThrowableOfType(() -> callAsProxy(address), RemoteException.class);
  }

  @Test
  void withoutARuleTuskRefusesExactlyAsHadoop() throws Exception {
    ProxyUsers.refreshSuperUserGroupsConfiguration(new Configuration(false));
    hadoop = new HadoopEchoServer(new Configuration(false));
    hadoop.start();
    RemoteException fromHadoop = refusal(new InetSocketAddress("127.0.0.1",
        hadoop.getListenerAddress().getPort()));
    RemoteException fromTusk = refusal(startTusk(new io.tusk.rpc.conf.Configuration()));

    assertThat(fromHadoop).isNotNull();
    assertThat(fromTusk).isNotNull();
    assertThat(fromTusk.getClassName()).isEqualTo(fromHadoop.getClassName())
        .isEqualTo("org.apache.hadoop.security.authorize.AuthorizationException");
    assertThat(fromTusk.getMessage()).isEqualTo(fromHadoop.getMessage())
        .isEqualTo("User: root is not allowed to impersonate alice");
    assertThat(fromTusk.getErrorCode()).isEqualTo(fromHadoop.getErrorCode());
    assertThat(fromTusk.getErrorCode().name()).isEqualTo("FATAL_UNAUTHORIZED");
    assertThat(seen.get()).as("no handler ran").isNull();
  }

  @Test
  void aRuleOutsideTheHostsIsRefusedAsHadoopRefusesIt() throws Exception {
    Configuration rules = new Configuration(false);
    rules.set("hadoop.proxyuser.root.users", "alice");
    rules.set("hadoop.proxyuser.root.hosts", "10.0.0.0/8");
    ProxyUsers.refreshSuperUserGroupsConfiguration(rules);
    hadoop = new HadoopEchoServer(new Configuration(false));
    hadoop.start();
    RemoteException fromHadoop = refusal(new InetSocketAddress("127.0.0.1",
        hadoop.getListenerAddress().getPort()));
    io.tusk.rpc.conf.Configuration tuskRules = new io.tusk.rpc.conf.Configuration()
        .set("hadoop.proxyuser.root.users", "alice").set("hadoop.proxyuser.root.hosts", "10.0.0.0/8");
    RemoteException fromTusk = refusal(startTusk(tuskRules));

    assertThat(fromTusk.getClassName()).isEqualTo(fromHadoop.getClassName());
    assertThat(fromTusk.getMessage()).isEqualTo(fromHadoop.getMessage());
    assertThat(fromTusk.getErrorCode()).isEqualTo(fromHadoop.getErrorCode());
  }

  @Test
  void withAMatchingRuleTheHandlerSeesAliceViaRoot() throws Exception {
    io.tusk.rpc.conf.Configuration conf = new io.tusk.rpc.conf.Configuration()
        .set("hadoop.proxyuser.root.users", "alice")
        .set("hadoop.proxyuser.root.hosts", "127.0.0.1");

    assertThat(callAsProxy(startTusk(conf))).isEqualTo("hi");
    assertThat(seen.get()).isEqualTo("alice via root");
    assertThat(seenIdentity.get()).hasToString("alice (auth:PROXY) via root (auth:SIMPLE)")
        .isEqualTo(UserIdentity.createProxyUser("alice", UserIdentity.createRemoteUser("root")));
  }

  /** Hadoop's rule for root acting for alice from loopback, and a Hadoop server under it. */
  private InetSocketAddress startHadoopWithRule() throws IOException {
    Configuration rules = new Configuration(false);
    rules.set("hadoop.proxyuser.root.users", "alice");
    rules.set("hadoop.proxyuser.root.hosts", "127.0.0.1");
    ProxyUsers.refreshSuperUserGroupsConfiguration(rules);
    hadoop = new HadoopEchoServer(new Configuration(false));
    hadoop.start();
    return new InetSocketAddress("127.0.0.1", hadoop.getListenerAddress().getPort());
  }

  @Test
  void theTuskHandlersIdentityReadsAsHadoopsHandlerSeesTheSameCaller() throws Exception {
    String fromHadoop = proxy.doAs((PrivilegedExceptionAction<String>) () -> Writables.text(
        (RawBytesWritable) HadoopIpcAccess.call(hadoopClient, Writables.writable("ugi"),
            HadoopIpcAccess.connectionId(startHadoopWithRule(), EchoProtocol.class,
                clientConf))));
    callAsProxy(startTusk(new io.tusk.rpc.conf.Configuration()
        .set("hadoop.proxyuser.root.users", "alice")
        .set("hadoop.proxyuser.root.hosts", "127.0.0.1")));

    assertThat(fromHadoop).isEqualTo("alice (auth:PROXY) via root (auth:SIMPLE)");
    assertThat(seenIdentity.get().toString()).isEqualTo(fromHadoop);
    assertThat(seenIdentity.get().shortName()).isEqualTo("alice");
    assertThat(seenIdentity.get().realUser().shortName()).isEqualTo("root");
  }

  /** Tusk's client as alice via root: Hadoop's server sees both users, and judges by its rule. */
  @Test
  void aTuskProxyUserIsAliceViaRootToHadoopsServer() throws Exception {
    UserIdentity alice =
        UserIdentity.createProxyUser("alice", UserIdentity.createRemoteUser("root"));
    String clientName = io.tusk.rpc.testing.Threads.uniqueName("tusk-proxy-client");
    try (io.tusk.rpc.client.Client client =
        io.tusk.rpc.client.Client.builder().name(clientName).build()) {
      ConnectionId remote = ConnectionId.of(startHadoopWithRule(), EchoProtocol.class.getName(),
          alice);
      assertThat(Writables.text(client.call(RpcKind.RPC_BUILTIN, Writables.payload("ugi"),
          remote))).isEqualTo("alice (auth:PROXY) via root (auth:SIMPLE)")
          .isEqualTo(alice.toString());

      ProxyUsers.refreshSuperUserGroupsConfiguration(new Configuration(false));
      ConnectionId asBob = ConnectionId.of(remote.address(), EchoProtocol.class.getName(),
          UserIdentity.createProxyUser("bob", UserIdentity.createRemoteUser("root")));
      io.tusk.rpc.RemoteException refused = catchThrowableOfType(
          () -> client.call(RpcKind.RPC_BUILTIN, Writables.payload("ugi"), asBob),
          io.tusk.rpc.RemoteException.class);
      assertThat(refused.getClassName())
          .isEqualTo("org.apache.hadoop.security.authorize.AuthorizationException");
      assertThat(refused.getMessage()).isEqualTo("User: root is not allowed to impersonate bob");
    }
    Threads.assertNoneAlive(clientName, Duration.ofSeconds(10));
  }

  /** Tusk's client as alice via root against Tusk's server with the rule: the handler's view. */
  @Test
  void aTuskProxyUserIsAliceViaRootToTusksServer() throws Exception {
    InetSocketAddress address = startTusk(new io.tusk.rpc.conf.Configuration()
        .set("hadoop.proxyuser.root.users", "alice")
        .set("hadoop.proxyuser.root.hosts", "127.0.0.1"));
    UserIdentity alice =
        UserIdentity.createProxyUser("alice", UserIdentity.createRemoteUser("root"));
    String clientName = io.tusk.rpc.testing.Threads.uniqueName("tusk-proxy-client");
    try (io.tusk.rpc.client.Client client =
        io.tusk.rpc.client.Client.builder().name(clientName).build()) {
      assertThat(Writables.text(client.call(RpcKind.RPC_BUILTIN, Writables.payload("hi"),
          ConnectionId.of(address, EchoProtocol.class.getName(), alice)))).isEqualTo("hi");
    }
    Threads.assertNoneAlive(clientName, Duration.ofSeconds(10));
    assertThat(seenIdentity.get()).isEqualTo(alice)
        .hasToString("alice (auth:PROXY) via root (auth:SIMPLE)");
  }

  @Test
  void aRuleAddedAtRunTimeAppliesToNewConnections() throws Exception {
    InetSocketAddress address = startTusk(new io.tusk.rpc.conf.Configuration());
    assertThat(refusal(address)).isNotNull();

    tusk.refreshSuperUserGroupsConfiguration(new io.tusk.rpc.conf.Configuration()
        .set("hadoop.proxyuser.root.groups", "*").set("hadoop.proxyuser.root.hosts", "*"));

    assertThat(callAsProxy(address)).isEqualTo("hi");
    assertThat(seen.get()).isEqualTo("alice via root");
  }
}
