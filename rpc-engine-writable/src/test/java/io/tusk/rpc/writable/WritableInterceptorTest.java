package io.tusk.rpc.writable;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.RPC;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.conf.IpcKeys;
import io.tusk.rpc.intercept.ClientCall;
import io.tusk.rpc.intercept.ClientInterceptor;
import io.tusk.rpc.intercept.ServerCall;
import io.tusk.rpc.intercept.ServerInterceptor;
import io.tusk.rpc.proto.RpcHeaderProtos.RPCCallerContextProto;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import io.tusk.rpc.writable.TestProtocols.Everything;
import io.tusk.rpc.writable.TestProtocols.EverythingImpl;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A server interceptor sees a Writable call's protocol, method and Invocation; interceptors named
 * in configuration ({@code tusk.client.interceptors}, {@code tusk.server.interceptors}) run for
 * the facade's proxies and servers.
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class WritableInterceptorTest {
  @Test
  void interceptorSeesTheInvocationsProtocolAndMethod() throws Exception {
    String name = Threads.uniqueName("wint");
    WritableRpcEngine engine = new WritableRpcEngine();
    AtomicReference<ServerCall> seen = new AtomicReference<>();
    Configuration conf = new Configuration().setInt(IpcKeys.CLIENT_CONNECT_MAX_RETRIES, 0);
    int port;
    try (Server server = Server.builder().name(name).engine(engine.newServerEngine())
        .interceptor((call, next) -> {
          seen.set(call);
          return next.proceed();
        }).build()) {
      server.addProtocol(engine.newServerEngine(), Everything.class, new EverythingImpl("i"));
      port = server.start().getListenerAddress().getPort();
      Everything proxy = RPC.getProxy(Everything.class, 3, new InetSocketAddress("127.0.0.1",
          port), conf);
      try {
        assertThat(proxy.add(2, 3)).isEqualTo(5);
      } finally {
        RPC.stopProxy(proxy);
      }
    }

    ServerCall call = seen.get();
    assertThat(call.protocolName()).isEqualTo(RPC.getProtocolName(Everything.class));
    assertThat(call.methodName()).isEqualTo("add");
    assertThat(call.request()).isInstanceOf(Invocation.class);
    assertThat(((Invocation) call.request()).getParameters()).containsExactly(2, 3);
    Threads.assertNoneAlive(name, Duration.ofSeconds(10));
    Threads.assertNoneAlive("tusk-rpc-client-receiver@127.0.0.1:" + port, Duration.ofSeconds(10));
  }

  /** What the configured interceptors saw; reset before each test. */
  static final List<String> SEEN = new CopyOnWriteArrayList<>();

  @BeforeEach
  void reset() {
    SEEN.clear();
  }

  /** Named in tusk.client.interceptors: tags each call with a caller context. */
  public static final class TaggingClientInterceptor implements ClientInterceptor {
    @Override
    public CompletableFuture<ByteBuffer> intercept(ClientCall call, Chain next)
        throws java.io.IOException {
      SEEN.add("client " + call.connectionId().protocol());
      call.setCallerContext(RPCCallerContextProto.newBuilder().setContext("tagged").build());
      return next.proceed();
    }
  }

  /** Named in tusk.server.interceptors: records the method and the caller context it got. */
  public static final class RecordingServerInterceptor implements ServerInterceptor {
    @Override
    public io.tusk.rpc.RpcPayload intercept(ServerCall call, Chain next) throws Exception {
      RPCCallerContextProto context = call.context().callerContext();
      SEEN.add("server " + call.methodName() + " "
          + (context == null ? "no context" : context.getContext()));
      return next.proceed();
    }
  }

  @Test
  void interceptorsNamedInTheConfigurationRunForFacadeProxiesAndServers() throws Exception {
    String name = Threads.uniqueName("wconf");
    Configuration conf = new Configuration().setInt(IpcKeys.CLIENT_CONNECT_MAX_RETRIES, 0)
        .set(IpcKeys.SERVER_INTERCEPTORS, RecordingServerInterceptor.class.getName());
    Configuration tagged = new Configuration(conf)
        .set(IpcKeys.CLIENT_INTERCEPTORS, " " + TaggingClientInterceptor.class.getName() + " ,");
    RPC.Server server = new RPC.Builder(conf).setProtocol(Everything.class)
        .setInstance(new EverythingImpl("i")).setNumHandlers(2).setName(name).build().start();
    Everything plain = null;
    Everything withTag = null;
    try {
      InetSocketAddress address = server.getListenerAddress();
      int clients = RPC.clientCache().size();
      plain = RPC.getProxy(Everything.class, 3, address, conf);
      withTag = RPC.getProxy(Everything.class, 3, address, tagged);
      assertThat(RPC.clientCache().size()).as("another interceptor list, another client")
          .isEqualTo(clients + 2);
      assertThat(plain.add(1, 2)).isEqualTo(3);
      assertThat(withTag.add(2, 3)).isEqualTo(5);
    } finally {
      if (plain != null) {
        RPC.stopProxy(plain);
      }
      if (withTag != null) {
        RPC.stopProxy(withTag);
      }
      server.close();
    }
    assertThat(SEEN).containsExactly("server add no context",
        "client " + RPC.getProtocolName(Everything.class), "server add tagged");
    Threads.assertNoneAlive(name, Duration.ofSeconds(10));
  }

  @Test
  void aConfiguredInterceptorThatCannotBeCreatedIsAClearError() {
    Configuration conf = new Configuration()
        .set(IpcKeys.CLIENT_INTERCEPTORS, "no.such.Interceptor");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> RPC.getProxy(
        Everything.class, 3, new InetSocketAddress("127.0.0.1", 1), conf)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(IpcKeys.CLIENT_INTERCEPTORS)
        .hasMessageContaining("no.such.Interceptor");
    Configuration server = new Configuration()
        .set(IpcKeys.SERVER_INTERCEPTORS, String.class.getName());
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new RPC.Builder(server)
        .setProtocol(Everything.class).setInstance(new EverythingImpl("i")).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(IpcKeys.SERVER_INTERCEPTORS)
        .hasMessageContaining("is not a " + ServerInterceptor.class.getName());
  }
}
