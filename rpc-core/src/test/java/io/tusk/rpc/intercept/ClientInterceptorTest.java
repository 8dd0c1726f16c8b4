package io.tusk.rpc.intercept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.ByteString;
import io.tusk.rpc.RemoteException;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.proto.RpcHeaderProtos.RPCCallerContextProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RPCTraceInfoProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcRequestHeaderProto;
import io.tusk.rpc.server.CallContext;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.LoopbackPair;
import io.tusk.rpc.testing.Threads;
import io.tusk.rpc.wire.FrameEncoder;
import io.tusk.rpc.wire.RpcConstants;
import io.tusk.rpc.wire.RpcHeaders;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The client's interceptor chain against a real server: order, header fields, failing fast. */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class ClientInterceptorTest {
  private static final RPCCallerContextProto CALLER = RPCCallerContextProto.newBuilder()
      .setContext("clientInterceptorTest").setSignature(ByteString.copyFromUtf8("s")).build();
  private static final RPCTraceInfoProto TRACE = RPCTraceInfoProto.newBuilder().setTraceId(11)
      .setParentId(12).setSpanContext(ByteString.copyFromUtf8("span")).build();

  private final String name = Threads.uniqueName("cic");
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final TextEngine engine = new TextEngine(log);
  private LoopbackPair pair;
  private Server server;
  private Client client;
  private ConnectionId remote;

  private void start(ClientInterceptor... interceptors) throws IOException {
    pair = LoopbackPair.start(name, Server.builder().handlerCount(2)
        .engine(engine.registration()), builder(interceptors), "test.TextProtocol");
    server = pair.server();
    client = pair.client();
    remote = pair.remote();
  }

  private static Client.Builder builder(ClientInterceptor... interceptors) {
    Client.Builder builder = Client.builder();
    for (ClientInterceptor interceptor : interceptors) {
      builder.interceptor(interceptor);
    }
    return builder;
  }

  /** Another client of the test's server, named like the pair's. */
  private Client client(ClientInterceptor... interceptors) {
    return builder(interceptors).name(name + "-cli").build();
  }

  @AfterEach
  void stop() {
    if (pair != null) {
      pair.close();
    }
  }

  private static RpcPayload text(String text) {
    return LoopbackPair.text(text);
  }

  private static String string(ByteBuffer answer) {
    return LoopbackPair.text(answer);
  }

  private String call(String request) throws IOException {
    return pair.call(request);
  }

  private ClientInterceptor logging(String id) {
    return (call, next) -> {
      log.add(id + ">");
      return next.proceed().whenComplete((answer, failure) -> log.add(id + "<"
          + (failure == null ? "ok" : failure.getClass().getSimpleName())));
    };
  }

  @Test
  void interceptorsRunInTheOrderAddedForBlockingAndAsyncCalls() throws Exception {
    start(logging("a"), logging("b"), logging("c"));

    assertThat(call("echo:x")).isEqualTo("X");
    assertThat(log).containsExactly("a>", "b>", "c>", "invoker", "c<ok", "b<ok", "a<ok");

    log.clear();
    CompletableFuture<ByteBuffer> answer = client.callAsync(RpcKind.RPC_BUILTIN, text("echo:y"),
        remote);
    assertThat(string(answer.get(10, TimeUnit.SECONDS))).isEqualTo("Y");
    assertThat(log).containsExactly("a>", "b>", "c>", "invoker", "c<ok", "b<ok", "a<ok");
  }

  @Test
  void interceptorSeesTheCallAndItsTiming() throws Exception {
    AtomicReference<ClientCall> seen = new AtomicReference<>();
    AtomicLong tookNanos = new AtomicLong(-1);
    start((call, next) -> {
      seen.set(call);
      return next.proceed().whenComplete((a, f) ->
          tookNanos.set(System.nanoTime() - call.startNanos()));
    });

    client.call(RpcKind.RPC_BUILTIN, text("sleep:20"), remote, Duration.ofSeconds(7));

    ClientCall call = seen.get();
    assertThat(call.kind()).isEqualTo(RpcKind.RPC_BUILTIN);
    assertThat(call.connectionId()).isEqualTo(remote);
    assertThat(call.retryCount()).isEqualTo(RpcConstants.FIRST_ATTEMPT_RETRY_COUNT);
    assertThat(call.timeoutNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(7));
    assertThat(call.isAsync()).isFalse();
    assertThat(tookNanos.get()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
  }

  @Test
  void headerFieldsSetByAnInterceptorReachTheServersCallContext() throws Exception {
    start((call, next) -> {
      call.setCallerContext(CALLER);
      call.setTraceInfo(TRACE);
      return next.proceed();
    });

    call("echo:a");
    CallContext blocking = engine.contexts.poll(10, TimeUnit.SECONDS);
    client.callAsync(RpcKind.RPC_BUILTIN, text("echo:b"), remote).get(10, TimeUnit.SECONDS);
    CallContext async = engine.contexts.poll(10, TimeUnit.SECONDS);

    for (CallContext context : List.of(blocking, async)) {
      assertThat(context.callerContext()).isEqualTo(CALLER);
      assertThat(context.traceInfo()).isEqualTo(TRACE);
      assertThat(context.hasStateId()).isFalse();
    }
  }

  @Test
  void anInterceptorThatThrowsFailsTheCallBeforeAnythingIsSent() throws Exception {
    IOException refused = new IOException("circuit open");
    start(logging("outer"), (call, next) -> {
      throw refused;
    });

    assertThat(catchThrowable(() -> call("echo:x"))).isSameAs(refused);
    CompletableFuture<ByteBuffer> async = client.callAsync(RpcKind.RPC_BUILTIN, text("echo:y"),
        remote);
    assertThat(catchThrowable(() -> async.get(10, TimeUnit.SECONDS)))
        .isInstanceOf(ExecutionException.class).hasCauseReference(refused);

    assertThat(log).containsExactly("outer>", "outer>"); // outer's stage never attached
    assertThat(client.connectionCount()).isZero();
    assertThat(server.metrics().callsTotal()).isZero();
  }

  @Test
  void anInterceptorMayFailOrAnswerThroughItsFutureWithoutProceeding() throws Exception {
    start((call, next) -> {
      String request = string(ByteBuffer.wrap(bytesOf(call.request())));
      if (request.startsWith("refuse")) {
        return CompletableFuture.failedFuture(new IOException("refused by policy"));
      }
      if (request.startsWith("cached")) {
        return CompletableFuture.completedFuture(ByteBuffer.wrap(
            "CACHED".getBytes(StandardCharsets.UTF_8)));
      }
      return next.proceed();
    });

    assertThat(catchThrowable(() -> call("refuse:x"))).isInstanceOf(IOException.class)
        .hasMessage("refused by policy");
    assertThat(call("cached:x")).isEqualTo("CACHED");
    assertThat(server.metrics().callsTotal()).isZero();
    assertThat(call("echo:z")).isEqualTo("Z");
    assertThat(server.metrics().callsTotal()).isEqualTo(1);
  }

  @Test
  void anInterceptorObservesAndMayReplaceARemoteFailure() throws Exception {
    AtomicReference<Throwable> observed = new AtomicReference<>();
    start((call, next) -> next.proceed().whenComplete((a, failure) -> observed.set(failure)),
        (call, next) -> next.proceed().exceptionally(failure -> failure.getMessage().contains(
            "soft") ? ByteBuffer.wrap("RECOVERED".getBytes(StandardCharsets.UTF_8)) : rethrow(
            failure)));

    Throwable hard = catchThrowable(() -> call("throw:hard failure"));
    assertThat(hard).isInstanceOf(RemoteException.class).hasMessage("hard failure");
    assertThat(observed.get()).hasRootCauseInstanceOf(RemoteException.class);

    assertThat(call("throw:soft failure")).isEqualTo("RECOVERED");
    assertThat(observed.get()).isNull();
  }

  @Test
  void theCallsDeadlineStillHoldsThroughInterceptors() throws Exception {
    start(logging("a"));

    long begin = System.nanoTime();
    Throwable e = catchThrowable(() -> client.call(RpcKind.RPC_BUILTIN, text("sleep:2000"),
        remote, Duration.ofMillis(300)));

    assertThat(e).isInstanceOf(SocketTimeoutException.class);
    assertThat(System.nanoTime() - begin).isLessThan(TimeUnit.MILLISECONDS.toNanos(1_300));
    assertThat(log).filteredOn(entry -> !entry.equals("invoker"))
        .containsExactly("a>", "a<SocketTimeoutException");
  }

  @Test
  void requestBytesAreUnchangedWithoutInterceptorsOrWhenTheySetNothing() throws Exception {
    ClientInterceptor observer = (call, next) -> next.proceed();
    for (Client c : List.of(client(), client(observer))) {
      try (c) {
        byte[][] sent = captureCallFrame(c, "echo:same");
        RpcRequestHeaderProto header = RpcHeaders.parseRequest(
            ByteBuffer.wrap(sent[0], 4, sent[0].length - 4));
        byte[] before = new FrameEncoder().encodeToArray(RpcHeaders.request(RpcKind.RPC_BUILTIN,
            header.getCallId(), RpcConstants.FIRST_ATTEMPT_RETRY_COUNT,
            ByteString.copyFrom(c.clientId())), text("echo:same"));
        assertThat(sent[0]).isEqualTo(before);
      }
    }
  }

  @Test
  void headerFieldsChangeOnlyTheirOwnFieldsOfTheHeader() throws Exception {
    try (Client c = client((call, next) -> {
      call.setCallerContext(CALLER);
      return next.proceed();
    })) {
      byte[][] sent = captureCallFrame(c, "echo:ctx");
      ByteBuffer body = ByteBuffer.wrap(sent[0], 4, sent[0].length - 4);
      RpcRequestHeaderProto header = RpcHeaders.parseRequest(body);

      assertThat(header.getCallerContext()).isEqualTo(CALLER);
      assertThat(header.hasTraceInfo()).isFalse();
      assertThat(header.toBuilder().clearCallerContext().build()).isEqualTo(
          RpcHeaders.request(RpcKind.RPC_BUILTIN, header.getCallId(),
              RpcConstants.FIRST_ATTEMPT_RETRY_COUNT, ByteString.copyFrom(c.clientId())));
      byte[] payload = new byte[body.remaining()];
      body.get(payload);
      assertThat(new String(payload, StandardCharsets.UTF_8)).isEqualTo("echo:ctx");
    }
  }

  /**
   * Starts an async call from {@code c} to a bare socket and returns the bytes of its call frame
   * (length prefix included), read after the preamble and the connection context.
   */
  private byte[][] captureCallFrame(Client c, String request) throws IOException {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      listener.setSoTimeout(10_000);
      ConnectionId to = ConnectionId.of((InetSocketAddress) listener.getLocalSocketAddress(),
          "test.TextProtocol");
      CompletableFuture<ByteBuffer> pending = c.callAsync(RpcKind.RPC_BUILTIN, text(request), to);
      try (Socket socket = listener.accept()) {
        socket.setSoTimeout(10_000);
        DataInputStream in = new DataInputStream(socket.getInputStream());
        in.readFully(new byte[RpcConstants.PREAMBLE_LENGTH]);
        in.readFully(new byte[in.readInt()]); // connection context
        int length = in.readInt();
        byte[] frame = ByteBuffer.allocate(4 + length).putInt(length).array();
        in.readFully(frame, 4, length);
        return new byte[][] {frame};
      } finally {
        pending.cancel(false);
      }
    }
  }

  private static byte[] bytesOf(RpcPayload payload) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      payload.writeTo(new java.io.DataOutputStream(out));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }

  private static <T> T rethrow(Throwable failure) {
    if (failure instanceof RuntimeException re) {
      throw re;
    }
    throw new java.util.concurrent.CompletionException(failure);
  }
}
