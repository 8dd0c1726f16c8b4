package io.tusk.rpc.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Message;
import com.google.protobuf.ServiceException;
import io.tusk.rpc.RPC;
import io.tusk.rpc.RemoteException;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcNoSuchMethodException;
import io.tusk.rpc.RpcNoSuchProtocolException;
import io.tusk.rpc.RpcServerException;
import io.tusk.rpc.proto.ProtobufEngineProtos.RequestHeaderProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsRequestProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsResponseProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcStatusProto;
import io.tusk.rpc.server.ProtocolRegistry;
import io.tusk.rpc.testing.LeakCheck;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server half without a network: decoding on the "reader", and every row of WIRE.md's
 * protobuf error table on the "handler".
 */
@Timeout(10)
@ExtendWith(LeakCheck.class)
class ProtobufServerSideTest {
  private final ProtocolRegistry protocols = new ProtocolRegistry();
  private final ProtobufRequestDecoder decoder = new ProtobufRequestDecoder();
  private final ProtobufRpcInvoker invoker = new ProtobufRpcInvoker();

  ProtobufServerSideTest() {
    protocols.add(RpcKind.RPC_PROTOCOL_BUFFER, TestInfoPB.NAME, 3, TestInfoPB.class,
        TestInfoService.blocking(3));
    protocols.add(RpcKind.RPC_PROTOCOL_BUFFER, TestInfoPB.NAME, 4, TestInfoPB.V4.class,
        TestInfoService.blocking(4));
  }

  private static RequestHeaderProto header(String method, String protocol, long version) {
    return RequestHeaderProto.newBuilder().setMethodName(method)
        .setDeclaringClassProtocolName(protocol).setClientProtocolVersion(version).build();
  }

  private static byte[] delimited(Message... messages) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Message m : messages) {
      m.writeDelimitedTo(out);
    }
    return out.toByteArray();
  }

  private static GetProtocolVersionsRequestProto versionsOf(String protocol) {
    return GetProtocolVersionsRequestProto.newBuilder().setProtocol(protocol).build();
  }

  private Object invoke(byte[] payload) throws Exception {
    ProtobufRequest request = (ProtobufRequest) decoder.decode(ByteBuffer.wrap(payload));
    return invoker.call(protocols, TestInfoPB.NAME, request);
  }

  @Test
  void decoderParsesTheHeaderAndKeepsTheMessageBytes() throws Exception {
    RequestHeaderProto header = header("getProtocolVersions", TestInfoPB.NAME, 3);
    byte[] message = delimited(versionsOf("abc"));
    byte[] payload = delimited(header, versionsOf("abc"));
    // The frame sits inside a larger array at an offset, as it does in a reader's buffer.
    byte[] frame = new byte[payload.length + 10];
    System.arraycopy(payload, 0, frame, 7, payload.length);
    ByteBuffer buffer = ByteBuffer.wrap(frame, 7, payload.length).slice();

    ProtobufRequest request = (ProtobufRequest) decoder.decode(buffer);

    assertThat(request.header()).isEqualTo(header);
    assertThat(request.headerError()).isNull();
    byte[] rest = new byte[request.message().remaining()];
    request.message().duplicate().get(rest);
    assertThat(rest).isEqualTo(message);
  }

  @Test
  void decoderKeepsAMalformedHeaderForTheHandlerInsteadOfFailingTheConnection() {
    ProtobufRequest request =
        (ProtobufRequest) decoder.decode(ByteBuffer.wrap(new byte[] {5, 0x0a, 3, 'a'}));

    assertThat(request.header()).isNull();
    assertThat(request.headerError()).isInstanceOf(MalformedRequestException.class);
    assertThatThrownBy(() -> invoker.call(protocols, TestInfoPB.NAME, request))
        .isSameAs(request.headerError());
  }

  @Test
  void decoderRejectsAHeaderMissingRequiredFields() {
    ProtobufRequest request = (ProtobufRequest) decoder.decode(ByteBuffer.wrap(new byte[] {0}));
    assertThat(request.headerError()).hasMessageContaining("methodName");
  }

  @Test
  void successReturnsTheResponseDelimited() throws Exception {
    Object payload = invoke(delimited(header("getProtocolVersions", TestInfoPB.NAME, 4),
        versionsOf("abc")));

    byte[] bytes = InMemoryTransport.bytesOf((io.tusk.rpc.RpcPayload) payload);
    GetProtocolVersionsResponseProto response =
        GetProtocolVersionsResponseProto.parseDelimitedFrom(
            new java.io.ByteArrayInputStream(bytes));
    assertThat(response.getProtocolVersions(0).getRpcKind()).isEqualTo("abc");
    assertThat(response.getProtocolVersions(0).getVersions(0)).isEqualTo(4);
    assertThat(bytes).isEqualTo(delimited(response));
  }

  @Test
  void unknownProtocolIsRpcNoSuchProtocolException() {
    assertThatThrownBy(() -> invoke(delimited(header("getProtocolVersions", "no.Such", 3),
        versionsOf("x"))))
        .isExactlyInstanceOf(RpcNoSuchProtocolException.class)
        .hasMessage("Unknown protocol: no.Such")
        .satisfies(e -> {
          assertThat(((RpcServerException) e).errorCode())
              .isEqualTo(RpcErrorCodeProto.ERROR_NO_SUCH_PROTOCOL);
          assertThat(((RpcServerException) e).status()).isEqualTo(RpcStatusProto.ERROR);
          assertThat(RemoteException.wireName(e.getClass()))
              .isEqualTo("org.apache.hadoop.ipc.RpcNoSuchProtocolException");
        });
  }

  @Test
  void versionNotServedIsVersionMismatchWithTheHighestHostedVersion() {
    assertThatThrownBy(() -> invoke(delimited(header("getProtocolVersions", TestInfoPB.NAME, 9),
        versionsOf("x"))))
        .isExactlyInstanceOf(RPC.VersionMismatch.class)
        .hasMessage("Protocol tusk.test.Info version mismatch. (client = 9, server = 4)")
        .satisfies(e -> {
          assertThat(((RpcServerException) e).errorCode())
              .isEqualTo(RpcErrorCodeProto.ERROR_RPC_VERSION_MISMATCH);
          assertThat(RemoteException.wireName(e.getClass()))
              .isEqualTo("org.apache.hadoop.ipc.RPC$VersionMismatch");
        });
  }

  @Test
  void unknownMethodIsRpcNoSuchMethodExceptionNamingTheConnectionProtocol() throws Exception {
    ProtobufRequest request = (ProtobufRequest) decoder.decode(ByteBuffer.wrap(
        delimited(header("nope", TestInfoPB.NAME, 3), versionsOf("x"))));

    assertThatThrownBy(() -> invoker.call(protocols, "conn.Protocol", request))
        .isExactlyInstanceOf(RpcNoSuchMethodException.class)
        .hasMessage("Unknown method nope called on conn.Protocol protocol.")
        .satisfies(e -> {
          assertThat(((RpcServerException) e).errorCode())
              .isEqualTo(RpcErrorCodeProto.ERROR_NO_SUCH_METHOD);
          assertThat(RemoteException.wireName(e.getClass()))
              .isEqualTo("org.apache.hadoop.ipc.RpcNoSuchMethodException");
        });
  }

  @Test
  void malformedRequestMessageIsAnApplicationErrorUnderHadoopsName() throws Exception {
    byte[] good = delimited(header("getProtocolVersions", TestInfoPB.NAME, 3), versionsOf("abc"));
    byte[] truncated = Arrays.copyOf(good, good.length - 1);

    assertThatThrownBy(() -> invoke(truncated))
        .isExactlyInstanceOf(MalformedRequestException.class)
        .satisfies(e -> {
          assertThat(((RpcServerException) e).errorCode())
              .isEqualTo(RpcErrorCodeProto.ERROR_APPLICATION);
          assertThat(((RpcServerException) e).status()).isEqualTo(RpcStatusProto.ERROR);
          assertThat(RemoteException.wireName(e.getClass())).isEqualTo(
              "org.apache.hadoop.thirdparty.protobuf.InvalidProtocolBufferException");
        });
  }

  @Test
  void missingRequestMessageIsMalformed() {
    assertThatThrownBy(() -> invoke(delimited(header("getProtocolVersions", TestInfoPB.NAME, 3))))
        .isExactlyInstanceOf(MalformedRequestException.class);
  }

  @Test
  void serviceExceptionCauseIsRethrownAsItIs() {
    assertThatThrownBy(() -> invoke(delimited(header("getProtocolVersions", TestInfoPB.NAME, 3),
        versionsOf("fail-io"))))
        .isExactlyInstanceOf(FileNotFoundException.class)
        .hasMessage("no such file: /x");
  }

  @Test
  void runtimeExceptionOfTheServiceTravelsAsItIs() {
    assertThatThrownBy(() -> invoke(delimited(header("getProtocolVersions", TestInfoPB.NAME, 3),
        versionsOf("fail-runtime"))))
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage("boom");
  }

  @Test
  void serviceExceptionWithoutCauseTravelsItself() {
    assertThatThrownBy(() -> invoke(delimited(header("getProtocolVersions", TestInfoPB.NAME, 3),
        versionsOf("fail-nocause"))))
        .isExactlyInstanceOf(ServiceException.class)
        .hasMessage("plain service failure");
  }

  @Test
  void trailingBytesAfterTheRequestAreIgnoredAsHadoopIgnoresThem() throws Exception {
    byte[] good = delimited(header("getProtocolVersions", TestInfoPB.NAME, 3), versionsOf("abc"));
    byte[] padded = Arrays.copyOf(good, good.length + 3);

    assertThat(invoke(padded)).isNotNull();
  }

  @Test
  void protocolHostedByAnotherKindOfObjectIsAClearError() {
    protocols.add(RpcKind.RPC_PROTOCOL_BUFFER, "raw", 1, null, "not a service");
    assertThatThrownBy(() -> invoke(delimited(header("m", "raw", 1), versionsOf("x"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not a BlockingService");
  }
}
