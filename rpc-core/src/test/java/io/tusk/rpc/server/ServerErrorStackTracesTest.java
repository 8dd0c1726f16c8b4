package io.tusk.rpc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcServerException;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.conf.IpcKeys;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcStatusProto;
import io.tusk.rpc.spi.ServerEngine;
import io.tusk.rpc.testing.RawRpcPeer;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code tusk.server.error.stack-traces} over a real socket: off (the default), an ERROR answer's
 * {@code errorMsg} is the exception's message alone; on, it is what Hadoop's server sends,
 * {@code StringUtils.stringifyException(t)} (the {@code printStackTrace} text) without the
 * leading {@code "<class>: "}. The exception the handler threw is kept, so each answer is
 * compared with the text of that very exception.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerErrorStackTracesTest extends ServerTestSupport {
  private final AtomicReference<Exception> thrown = new AtomicReference<>();

  /** RPC_PROTOCOL_BUFFER calls throw the exception {@link #failure} makes for the request. */
  private ServerEngine<?> failing() {
    return ServerEngine.of("test", RpcKind.RPC_PROTOCOL_BUFFER,
        request -> request.get(request.position()), (srv, call, request) -> {
          Exception e = failure(request);
          thrown.set(e);
          throw e;
        });
  }

  private static Exception failure(byte which) {
    return switch (which) {
      case 1 -> new FileNotFoundException("no such file");
      case 2 -> new IOException("outer", new IllegalStateException("the cause"));
      case 3 -> new NullPointerException();
      default -> new RpcServerException("no method zap", RpcErrorCodeProto.ERROR_NO_SUCH_METHOD);
    };
  }

  /** Hadoop's errorMsg for {@code t}, from its definition in Server.populateResponseParamsOnError. */
  private static String hadoopErrorMsg(Throwable t) {
    StringWriter trace = new StringWriter();
    PrintWriter out = new PrintWriter(trace);
    t.printStackTrace(out);
    out.close();
    String text = trace.toString();
    String head = t.getClass().getName() + ": ";
    return text.startsWith(head) ? text.substring(head.length()) : text;
  }

  private RpcResponseHeaderProto answer(RawRpcPeer peer, int callId, int which)
      throws IOException {
    RpcResponseHeaderProto header = peer.call(RpcKind.RPC_PROTOCOL_BUFFER, callId,
        new byte[] {(byte) which}).readResponse().header();
    assertThat(header.getStatus()).isEqualTo(RpcStatusProto.ERROR);
    assertThat(header.getCallId()).isEqualTo(callId);
    return header;
  }

  @Test
  void offByDefaultTheMessageAloneIsSent() throws Exception {
    start(echoServer().engine(failing()));
    assertThat(server.options().errorStackTraces()).isFalse();
    try (RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), "alice")) {
      RpcResponseHeaderProto header = answer(peer, 1, 1);
      assertThat(header.getExceptionClassName()).isEqualTo("java.io.FileNotFoundException");
      assertThat(header.getErrorMsg()).isEqualTo("no such file");
      assertThat(answer(peer, 2, 2).getErrorMsg()).isEqualTo("outer").doesNotContain("\tat ");
      assertThat(answer(peer, 3, 3).hasErrorMsg()).isFalse();
      assertThat(answer(peer, 4, 4).getErrorMsg()).isEqualTo("no method zap");
    }
    assertStillServes();
  }

  @Test
  void onTheStackTraceIsSentInHadoopsForm() throws Exception {
    start(echoServer().engine(failing()).errorStackTraces(true));
    try (RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), "alice")) {
      RpcResponseHeaderProto plain = answer(peer, 1, 1);
      assertThat(plain.getExceptionClassName()).isEqualTo("java.io.FileNotFoundException");
      assertThat(plain.getErrorDetail()).isEqualTo(RpcErrorCodeProto.ERROR_APPLICATION);
      assertThat(plain.getErrorMsg()).isEqualTo(hadoopErrorMsg(thrown.get()))
          .startsWith("no such file" + System.lineSeparator() + "\tat ")
          .contains(ServerErrorStackTracesTest.class.getName());

      String caused = answer(peer, 2, 2).getErrorMsg();
      assertThat(caused).isEqualTo(hadoopErrorMsg(thrown.get()))
          .startsWith("outer" + System.lineSeparator())
          .contains("Caused by: java.lang.IllegalStateException: the cause");

      // no message: printStackTrace starts with the bare class name, which Hadoop leaves in
      assertThat(answer(peer, 3, 3).getErrorMsg()).isEqualTo(hadoopErrorMsg(thrown.get()))
          .startsWith("java.lang.NullPointerException" + System.lineSeparator() + "\tat ");

      RpcResponseHeaderProto rse = answer(peer, 4, 4);
      assertThat(rse.getErrorDetail()).isEqualTo(RpcErrorCodeProto.ERROR_NO_SUCH_METHOD);
      assertThat(rse.getErrorMsg()).isEqualTo(hadoopErrorMsg(thrown.get()))
          .startsWith("no method zap" + System.lineSeparator() + "\tat ");

      assertThat(peer.roundTrip(5, "after errors").text()).isEqualTo("after errors");
    }
  }

  @Test
  void theConfigurationKeyTurnsItOn() throws Exception {
    Configuration conf = new Configuration();
    conf.set(IpcKeys.SERVER_ERROR_STACK_TRACES, "true");
    start(echoServer().configuration(conf).engine(failing()));
    assertThat(server.options().errorStackTraces()).isTrue();
    try (RawRpcPeer peer = RawRpcPeer.handshake(server.getListenerAddress(), "alice")) {
      assertThat(answer(peer, 1, 1).getErrorMsg()).isEqualTo(hadoopErrorMsg(thrown.get()));
    }
  }
}
