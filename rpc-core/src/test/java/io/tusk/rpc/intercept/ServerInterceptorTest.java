package io.tusk.rpc.intercept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tusk.rpc.RemoteException;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.server.CallContext;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.LoopbackPair;
import io.tusk.rpc.testing.Threads;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The server's interceptor chain over a real socket: order, short-circuit, failures. */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class ServerInterceptorTest {
  private final String name = Threads.uniqueName("sic");
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final TextEngine engine = new TextEngine(log);
  private LoopbackPair pair;
  private Server server;
  private Client client;
  private ConnectionId remote;

  private void start(ServerInterceptor... interceptors) throws IOException {
    Server.Builder builder = Server.builder().handlerCount(2)
        .engine(engine.registration());
    for (ServerInterceptor interceptor : interceptors) {
      builder.interceptor(interceptor);
    }
    pair = LoopbackPair.start(name, builder, "test.TextProtocol");
    server = pair.server();
    client = pair.client();
    remote = pair.remote();
  }

  @AfterEach
  void stop() {
    if (pair != null) {
      pair.close();
    }
  }

  private String call(String text) throws IOException {
    return pair.call(text);
  }

  /** Logs "name>" before proceeding and "name<" after, with what came back. */
  private ServerInterceptor logging(String id) {
    return (call, next) -> {
      log.add(id + ">");
      try {
        RpcPayload payload = next.proceed();
        log.add(id + "<" + payload);
        return payload;
      } catch (Exception e) {
        log.add(id + "!" + e.getClass().getSimpleName() + ":" + e.getMessage());
        throw e;
      }
    };
  }

  @Test
  void interceptorsRunInTheOrderAddedAroundTheInvoker() throws IOException {
    start(logging("a"), logging("b"), logging("c"));

    assertThat(call("echo:hi")).isEqualTo("HI");

    assertThat(log).containsExactly("a>", "b>", "c>", "invoker", "c<payload(HI)",
        "b<payload(HI)", "a<payload(HI)");
  }

  @Test
  void interceptorSeesContextProtocolMethodAndRequestWithTheCallCurrent() throws IOException {
    AtomicReference<ServerCall> seen = new AtomicReference<>();
    AtomicReference<CallContext> current = new AtomicReference<>();
    start((call, next) -> {
      seen.set(call);
      current.set(Server.getCurrentCall());
      return next.proceed();
    });

    call("lookup:key");

    ServerCall call = seen.get();
    assertThat(call.methodName()).isEqualTo("lookup");
    assertThat(call.protocolName()).isEqualTo("test.TextProtocol");
    assertThat(call.request()).isEqualTo(new TextEngine.Text("lookup", "key"));
    assertThat(call.context()).isSameAs(current.get()).isSameAs(engine.contexts.poll());
    assertThat(call.context().rpcKind()).isEqualTo(RpcKind.RPC_BUILTIN);
    assertThat(call.context().clientId()).isEqualTo(client.clientId());
  }

  @Test
  void interceptorThatThrowsGivesTheClientItsClassAndMessageAndTheInvokerNeverRuns()
      throws IOException {
    start(logging("outer"), (call, next) -> {
      if (call.context().user() != null && call.methodName().equals("secret")) {
        throw new AccessDeniedException("user " + call.context().user() + " may not call secret");
      }
      return next.proceed();
    });
    String user = remote.user();

    RemoteException e = catchThrowableOfType(RemoteException.class, () -> call("secret:x"));

    assertThat(e.getClassName()).isEqualTo(AccessDeniedException.class.getName());
    assertThat(e.getMessage()).isEqualTo("user " + user + " may not call secret");
    assertThat(log).containsExactly("outer>",
        "outer!AccessDeniedException:user " + user + " may not call secret");
    assertThat(call("open:y")).isEqualTo("Y"); // the connection lives on
    assertThat(server.metrics().errorsTotal()).isEqualTo(1);
  }

  @Test
  void invokerFailureReachesTheInterceptorsThenTheClient() throws IOException {
    start(logging("a"), logging("b"));

    RemoteException e = catchThrowableOfType(RemoteException.class, () -> call("throw:disk full"));

    assertThat(e.getClassName()).isEqualTo(IOException.class.getName());
    assertThat(e.getMessage()).isEqualTo("disk full");
    assertThat(log).containsExactly("a>", "b>", "invoker", "b!IOException:disk full",
        "a!IOException:disk full");
  }

  @Test
  void interceptorMayTurnAFailureIntoAnAnswer() throws IOException {
    start((call, next) -> {
      try {
        return next.proceed();
      } catch (IOException e) {
        return TextEngine.payload("fallback for " + e.getMessage());
      }
    });

    assertThat(call("throw:gone")).isEqualTo("fallback for gone");
    assertThat(server.metrics().errorsTotal()).isZero();
  }

  @Test
  void interceptorMayShortCircuitWithItsOwnPayload() throws IOException {
    start(logging("outer"), (call, next) -> call.methodName().equals("cached")
        ? TextEngine.payload("from cache") : next.proceed(), logging("inner"));

    assertThat(call("cached:k")).isEqualTo("from cache");
    assertThat(log).containsExactly("outer>", "outer<payload(from cache)");
    log.clear();
    assertThat(call("fresh:k")).isEqualTo("K");
    assertThat(log).containsExactly("outer>", "inner>", "invoker", "inner<payload(K)",
        "outer<payload(K)");
  }

  @Test
  void proceedingTwiceIsAnErrorAnswer() throws IOException {
    start((call, next) -> {
      next.proceed();
      return next.proceed();
    });

    RemoteException e = catchThrowableOfType(RemoteException.class, () -> call("echo:x"));

    assertThat(e.getClassName()).isEqualTo(IllegalStateException.class.getName());
    assertThat(e.getMessage()).contains("proceeded twice");
    assertThat(log).containsExactly("invoker");
  }

  @Test
  void interceptorReturningNullIsAnErrorAnswer() throws IOException {
    start((call, next) -> null);

    RemoteException e = catchThrowableOfType(RemoteException.class, () -> call("echo:x"));

    assertThat(e.getClassName()).isEqualTo(IllegalStateException.class.getName());
    assertThat(e.getMessage()).contains("returned no response");
  }
}
