package io.tusk.rpc.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tusk.rpc.RemoteException;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.examples.InMemoryKeyValueStore;
import io.tusk.rpc.examples.KeyValueClientSideTranslatorPB;
import io.tusk.rpc.examples.KeyValueProtocolPB;
import io.tusk.rpc.examples.KeyValueServerSideTranslatorPB;
import io.tusk.rpc.proto.ProtobufEngineProtos.RequestHeaderProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Broken RPC_PROTOCOL_BUFFER request payloads, sent by Tusk's client to a Hadoop 3.4.2 server and
 * to a Tusk server hosting the reference protocol.
 *
 * <p>A request message that does not parse gets the same answer from both: an ERROR (not FATAL)
 * with the same class name, code and message, on a connection that stays open. A request
 * <em>header</em> that does not parse gets no answer at all from Hadoop (its handler fails while
 * logging the error: the call's toString parses the header again and throws, so the response is
 * never sent, and the caller waits until its timeout); Tusk deliberately answers it instead, with
 * the error Hadoop's handler was about to send.
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class MalformedProtobufRequestsGetHadoopsAnswerFromTuskTest {
  private HadoopKeyValueServer hadoop;
  private String name;
  private Server tusk;
  private Client client;

  @BeforeEach
  void start() throws IOException {
    hadoop = new HadoopKeyValueServer();
    name = Threads.uniqueName("tusk-malformed");
    tusk = Server.builder().name(name + "-srv").build();
    KeyValueServerSideTranslatorPB.register(tusk, new InMemoryKeyValueStore());
    tusk.start();
    client = Client.builder().name(name + "-cli").build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    try {
      if (client != null) {
        client.close();
      }
      if (tusk != null) {
        tusk.close();
      }
      Threads.assertNoneAlive(name, Duration.ofSeconds(10));
    } finally {
      if (hadoop != null) {
        hadoop.close();
      }
    }
  }

  private static RequestHeaderProto header(String method) {
    return RequestHeaderProto.newBuilder().setMethodName(method)
        .setDeclaringClassProtocolName(KeyValueProtocolPB.NAME)
        .setClientProtocolVersion(KeyValueProtocolPB.VERSION).build();
  }

  private static Arguments broken(String name, RpcPayload payload) {
    return Arguments.of(Named.of(name, payload));
  }

  static Stream<Arguments> brokenHeaders() {
    return Stream.of(
        broken("header is not a message", out -> out.write(new byte[] {5, -1, -1, -1, -1, -1})),
        broken("header misses its required fields", out -> out.write(0)),
        broken("header is cut short", out -> out.write(new byte[] {40, 10, 3, 'g'})));
  }

  static Stream<Arguments> brokenRequests() {
    return Stream.of(
        broken("request misses a required field", out -> {
          header("get").writeDelimitedTo(out);
          out.write(0);
        }),
        broken("request is cut short", out -> {
          header("get").writeDelimitedTo(out);
          out.write(new byte[] {10, 10, 5, 'k'});
        }),
        broken("request is not there", out -> header("get").writeDelimitedTo(out)));
  }

  /** The connection to {@code address} still serves the protocol. */
  private void stillServes(InetSocketAddress address) throws IOException {
    try (KeyValueClientSideTranslatorPB kv = KeyValueClientSideTranslatorPB.connect(client,
        address)) {
      kv.ping();
    }
  }

  private InetSocketAddress tuskAddress() {
    return new InetSocketAddress("127.0.0.1", tusk.getListenerAddress().getPort());
  }

  private RemoteException answer(InetSocketAddress address, RpcPayload payload)
      throws IOException {
    ConnectionId remote = ConnectionId.of(address, KeyValueProtocolPB.NAME);
    RemoteException e = catchThrowableOfType(
        () -> client.call(RpcKind.RPC_PROTOCOL_BUFFER, payload, remote), RemoteException.class);
    assertThat(e).as("an error answer from " + address).isNotNull();
    stillServes(address);
    return e;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenRequests")
  void unparsableRequestMessageGetsHadoopsAnswerFromTusk(RpcPayload payload) throws IOException {
    RemoteException fromHadoop = answer(hadoop.address, payload);
    RemoteException fromTusk = answer(tuskAddress(), payload);

    assertThat(fromHadoop.getClassName())
        .isEqualTo("org.apache.hadoop.thirdparty.protobuf.InvalidProtocolBufferException");
    assertThat(fromTusk.getClassName()).isEqualTo(fromHadoop.getClassName());
    assertThat(fromTusk.getErrorCode()).isEqualTo(RpcErrorCodeProto.ERROR_APPLICATION)
        .isEqualTo(fromHadoop.getErrorCode());
    assertThat(fromTusk.getMessage().lines().findFirst())
        .isEqualTo(fromHadoop.getMessage().lines().findFirst());
    assertThat(client.connectionCount()).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenHeaders")
  void unparsableRequestHeaderIsAnsweredByTuskButDroppedByHadoop(RpcPayload payload)
      throws IOException {
    ConnectionId toHadoop = ConnectionId.of(hadoop.address, KeyValueProtocolPB.NAME);
    assertThatThrownBy(() -> client.call(RpcKind.RPC_PROTOCOL_BUFFER, payload, toHadoop,
        Duration.ofMillis(500))).isInstanceOf(SocketTimeoutException.class);
    stillServes(hadoop.address);

    RemoteException fromTusk = answer(tuskAddress(), payload);
    assertThat(fromTusk.getClassName())
        .isEqualTo("org.apache.hadoop.thirdparty.protobuf.InvalidProtocolBufferException");
    assertThat(fromTusk.getErrorCode()).isEqualTo(RpcErrorCodeProto.ERROR_APPLICATION);
  }
}
