package io.tusk.rpc.writable;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.RPC;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.conf.IpcKeys;
import io.tusk.rpc.intercept.ServerCall;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import io.tusk.rpc.writable.TestProtocols.Everything;
import io.tusk.rpc.writable.TestProtocols.EverythingImpl;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A server interceptor sees a Writable call's protocol, method and Invocation. */
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
}
