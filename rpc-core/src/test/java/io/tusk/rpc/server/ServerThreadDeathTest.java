package io.tusk.rpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.spi.ServerEngine;
import io.tusk.rpc.spi.RequestDecoder;
import io.tusk.rpc.spi.RpcInvoker;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcStatusProto;
import io.tusk.rpc.testing.RawRpcPeer;
import io.tusk.rpc.testing.Threads;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.UndeclaredThrowableException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Engines that throw {@link Error}s where the server runs them: each call ends with an answer or
 * a closed connection, the thread that ran the engine survives (the live handler count on JMX is
 * unchanged), the server is not failed, and everyone else keeps being served. Also: no engine's
 * decoder runs on a reader thread.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServerThreadDeathTest extends ServerTestSupport {
  private static final int HANDLERS = 2;

  /** Decodes the text; "overflow" recurses until the stack overflows. */
  private static final class HostileDecoder implements RequestDecoder {
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public Object decode(ByteBuffer request) {
      threads.add(Thread.currentThread().getName());
      String text = StandardCharsets.UTF_8.decode(request).toString();
      if (text.equals("overflow")) {
        return recurse(0);
      }
      return text;
    }

    private static Object recurse(int depth) {
      return depth == Integer.MAX_VALUE ? null : recurse(depth + 1);
    }
  }

  /**
   * "oom" throws OutOfMemoryError; "oom-encode" answers a payload that does; "undeclared" throws
   * an IOException wrapped as a dynamic proxy wraps it; anything else is echoed.
   */
  private static final RpcInvoker HOSTILE_INVOKER = (server, call, request) -> {
    String text = (String) request;
    if (text.equals("oom")) {
      throw new OutOfMemoryError("simulated by the test invoker");
    }
    if (text.equals("undeclared")) {
      throw new UndeclaredThrowableException(new IOException("thrown from behind a proxy"));
    }
    if (text.equals("oom-encode")) {
      return out -> {
        throw new OutOfMemoryError("simulated while encoding the response");
      };
    }
    return RpcPayload.ofBytes(text.getBytes(StandardCharsets.UTF_8));
  };

  private HostileDecoder decoder;

  private void startHostileServer() throws Exception {
    decoder = new HostileDecoder();
    start(Server.builder().name(name = Threads.uniqueName("srv")).bindAddress("127.0.0.1")
        .port(0).handlerCount(HANDLERS).readerCount(1).shutdownGrace(Duration.ofSeconds(2))
        .engine(ServerEngine.of("test", RpcKind.RPC_BUILTIN, decoder, HOSTILE_INVOKER)));
  }

  @Test
  void decoderStackOverflowAnswersFatalAndClosesOnlyThatConnection() throws Exception {
    startHostileServer();
    try (RawRpcPeer bystander = RawRpcPeer.handshake(server.getListenerAddress(), "bystander");
        RawRpcPeer hostile = RawRpcPeer.handshake(server.getListenerAddress(), "hostile")) {
      assertThat(bystander.roundTrip(1, "before").text()).isEqualTo("before");
      RpcResponseHeaderProto fatal = hostile.roundTrip(7, "overflow").header();
      assertThat(fatal.getStatus()).isEqualTo(RpcStatusProto.FATAL);
      assertThat(fatal.getCallId()).isEqualTo(7);
      assertThat(fatal.getErrorDetail()).isEqualTo(RpcErrorCodeProto.FATAL_DESERIALIZING_REQUEST);
      assertThat(fatal.getErrorMsg()).contains("StackOverflowError");
      assertThat(hostile.awaitClosed()).isTrue();
      assertThat(bystander.roundTrip(2, "after").text()).isEqualTo("after");
    }
    assertHandlersIntact();
    assertThat(decoder.threads).isNotEmpty()
        .allSatisfy(thread -> assertThat(thread).contains("-handler-"));
  }

  @Test
  void invokerOutOfMemoryAnswersAnErrorAndTheHandlerSurvives() throws Exception {
    startHostileServer();
    try (RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), "peer")) {
      for (int i = 0; i < HANDLERS * 3; i++) { // more than one per handler
        RpcResponseHeaderProto error = peer.roundTrip(i, "oom").header();
        assertThat(error.getStatus()).isEqualTo(RpcStatusProto.ERROR);
        assertThat(error.getExceptionClassName()).isEqualTo("java.lang.OutOfMemoryError");
        assertThat(error.getErrorMsg()).isEqualTo("simulated by the test invoker");
      }
      assertThat(peer.roundTrip(99, "fine").text()).isEqualTo("fine");
    }
    assertHandlersIntact();
  }

  @Test
  void responseEncodingOutOfMemoryAnswersAnErrorAndTheHandlerSurvives() throws Exception {
    startHostileServer();
    try (RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), "peer")) {
      for (int i = 0; i < HANDLERS * 3; i++) {
        RpcResponseHeaderProto error = peer.roundTrip(i, "oom-encode").header();
        assertThat(error.getStatus()).isEqualTo(RpcStatusProto.ERROR);
        assertThat(error.getErrorDetail())
            .isEqualTo(RpcErrorCodeProto.ERROR_SERIALIZING_RESPONSE);
        assertThat(error.getErrorMsg()).contains("simulated while encoding the response");
      }
      assertThat(peer.roundTrip(99, "fine").text()).isEqualTo("fine");
    }
    assertHandlersIntact();
  }

  @Test
  void undeclaredThrowableFromAnImplementationTravelsAsItsCause() throws Exception {
    startHostileServer();
    try (RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), "peer")) {
      RpcResponseHeaderProto error = peer.roundTrip(1, "undeclared").header();
      assertThat(error.getStatus()).isEqualTo(RpcStatusProto.ERROR);
      assertThat(error.getExceptionClassName()).isEqualTo("java.io.IOException");
      assertThat(error.getErrorMsg()).isEqualTo("thrown from behind a proxy");
    }
  }

  /** Every handler is alive, on the server's face and on JMX, and the server is not failed. */
  private void assertHandlersIntact() throws Exception {
    assertThat(server.getLiveHandlerCount()).isEqualTo(HANDLERS);
    MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
    ObjectName bean = new ObjectName("io.tusk.rpc:type=Server,name=" + ObjectName.quote(name)
        + ",port=" + server.getListenerAddress().getPort());
    assertThat(jmx.getAttribute(bean, "LiveHandlerCount")).isEqualTo(HANDLERS);
    assertThat(jmx.getAttribute(bean, "Failed")).isEqualTo(false);
    assertThat(server.isFailed()).isFalse();
    assertThat(server.failures()).isEmpty();
    assertThat(Threads.alive(name + "-handler-")).hasSize(HANDLERS);
  }
}
