package io.tusk.rpc.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ServiceException;
import io.tusk.rpc.RemoteException;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.proto.ProtobufEngineProtos.RequestHeaderProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolSignatureResponseProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsRequestProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsResponseProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolVersionProto;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Client-side encoding and decoding: the exact bytes of requests, parsing of responses. */
@Timeout(10)
class ProtobufPayloadsTest {
  private static final ConnectionId REMOTE =
      ConnectionId.of(new InetSocketAddress("127.0.0.1", 9), TestInfoPB.NAME);

  private static final GetProtocolVersionsRequestProto REQUEST =
      GetProtocolVersionsRequestProto.newBuilder().setProtocol("p").build();
  private static final GetProtocolVersionsResponseProto RESPONSE =
      GetProtocolVersionsResponseProto.newBuilder()
          .addProtocolVersions(ProtocolVersionProto.newBuilder().setRpcKind("k").addVersions(7))
          .build();

  /** A transport that records request bytes and answers with fixed bytes. */
  private static final class Scripted implements ProtobufInvocationHandler.Transport {
    final List<byte[]> requests = new ArrayList<>();
    byte[] answer;
    IOException failure;

    @Override
    public ByteBuffer call(RpcPayload request) throws IOException {
      requests.add(InMemoryTransport.bytesOf(request));
      if (failure != null) {
        throw failure;
      }
      return ByteBuffer.wrap(answer);
    }
  }

  private static byte[] delimited(com.google.protobuf.Message... messages) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (com.google.protobuf.Message m : messages) {
      m.writeDelimitedTo(out);
    }
    return out.toByteArray();
  }

  @Test
  void requestIsDelimitedHeaderThenDelimitedMessage() throws Exception {
    Scripted transport = new Scripted();
    transport.answer = delimited(RESPONSE);
    TestInfoPB proxy = ProtobufRpcEngine.newProxy(TestInfoPB.class, REMOTE, null, transport);

    proxy.getProtocolVersions(null, REQUEST);

    RequestHeaderProto header = RequestHeaderProto.newBuilder()
        .setMethodName("getProtocolVersions")
        .setDeclaringClassProtocolName("tusk.test.Info")
        .setClientProtocolVersion(3)
        .build();
    assertThat(transport.requests).hasSize(1);
    assertThat(transport.requests.get(0)).isEqualTo(delimited(header, REQUEST));
    // Spelled out once: len 0x27 | 0a 13 "getProtocolVersions" | 12 0e "tusk.test.Info" | 18 03,
    // then len 03 | 0a 01 'p'.
    byte[] bytes = transport.requests.get(0);
    assertThat(bytes[0]).isEqualTo((byte) 0x27);
    assertThat(bytes).endsWith(0x18, 0x03, 0x03, 0x0a, 0x01, 'p');
  }

  @Test
  void responseIsParsedAsDelimitedMessageOfTheReturnType() throws Exception {
    Scripted transport = new Scripted();
    transport.answer = delimited(RESPONSE);
    TestInfoPB proxy = ProtobufRpcEngine.newProxy(TestInfoPB.class, REMOTE, null, transport);

    assertThat(proxy.getProtocolVersions(null, REQUEST)).isEqualTo(RESPONSE);
  }

  @Test
  void emptyResponseMessageParsesToTheDefaultInstance() throws Exception {
    Scripted transport = new Scripted();
    transport.answer = new byte[] {0};
    TestInfoPB proxy = ProtobufRpcEngine.newProxy(TestInfoPB.class, REMOTE, null, transport);

    assertThat(proxy.getProtocolSignature(null,
        io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolSignatureRequestProto.newBuilder()
            .setProtocol("p").setRpcKind("0").build()))
        .isEqualTo(GetProtocolSignatureResponseProto.getDefaultInstance());
  }

  @Test
  void failureArrivesAsServiceExceptionCausedByTheIoException() {
    Scripted transport = new Scripted();
    RemoteException remote = new RemoteException("java.io.FileNotFoundException", "gone");
    transport.failure = remote;
    TestInfoPB proxy = ProtobufRpcEngine.newProxy(TestInfoPB.class, REMOTE, null, transport);

    assertThatThrownBy(() -> proxy.getProtocolVersions(null, REQUEST))
        .isInstanceOf(ServiceException.class)
        .cause().isSameAs(remote);
  }

  @Test
  void truncatedResponseIsAServiceExceptionNamingTheMethod() throws Exception {
    Scripted transport = new Scripted();
    byte[] full = delimited(RESPONSE);
    transport.answer = java.util.Arrays.copyOf(full, full.length - 2);
    TestInfoPB proxy = ProtobufRpcEngine.newProxy(TestInfoPB.class, REMOTE, null, transport);

    assertThatThrownBy(() -> proxy.getProtocolVersions(null, REQUEST))
        .isInstanceOf(ServiceException.class)
        .cause().isInstanceOf(IOException.class)
        .hasMessageContaining("tusk.test.Info.getProtocolVersions")
        .hasCauseInstanceOf(InvalidProtocolBufferException.class);
  }

  @Test
  void nullRequestIsRejectedWithoutSending() {
    Scripted transport = new Scripted();
    TestInfoPB proxy = ProtobufRpcEngine.newProxy(TestInfoPB.class, REMOTE, null, transport);

    assertThatThrownBy(() -> proxy.getProtocolVersions(null, null))
        .isInstanceOf(ServiceException.class)
        .hasMessageContaining("getProtocolVersions");
    assertThat(transport.requests).isEmpty();
  }

  @Test
  void objectMethodsRunLocallyAndCloseStopsOnlyTheProxy() throws Exception {
    Scripted transport = new Scripted();
    transport.answer = delimited(RESPONSE);
    TestInfoPB proxy = ProtobufRpcEngine.newProxy(TestInfoPB.class, REMOTE, null, transport);
    TestInfoPB other = ProtobufRpcEngine.newProxy(TestInfoPB.class, REMOTE, null, transport);

    assertThat(proxy.toString()).contains("tusk.test.Info", "v3", "127.0.0.1");
    assertThat(proxy).isEqualTo(proxy).isNotEqualTo(other);
    assertThat(proxy.hashCode()).isEqualTo(System.identityHashCode(proxy));
    assertThat(proxy).isInstanceOf(ProtobufProxy.class);
    assertThat(((ProtobufProxy) proxy).connectionId()).isEqualTo(REMOTE);
    assertThat(transport.requests).isEmpty();

    ((ProtobufProxy) proxy).close();
    ((ProtobufProxy) proxy).close();
    assertThatThrownBy(() -> proxy.getProtocolVersions(null, REQUEST))
        .isInstanceOf(ServiceException.class)
        .cause().hasMessageContaining("closed");
    assertThat(other.getProtocolVersions(null, REQUEST)).isEqualTo(RESPONSE);
  }

  @Test
  void onePayloadWriterForProxiesAndDynamicCalls() throws Exception {
    RequestHeaderProto header = ProtobufPayloads.header("getProtocolVersions", "tusk.test.Info", 3);

    assertThat(header).isEqualTo(RequestHeaderProto.newBuilder()
        .setMethodName("getProtocolVersions")
        .setDeclaringClassProtocolName("tusk.test.Info")
        .setClientProtocolVersion(3)
        .build());
    assertThat(InMemoryTransport.bytesOf(ProtobufPayloads.request(header, REQUEST)))
        .isEqualTo(delimited(header, REQUEST));
  }

  @Test
  void proxiesReuseTheMethodTablesHeader() throws Exception {
    java.lang.reflect.Method method = TestInfoPB.class.getMethod("getProtocolVersions",
        com.google.protobuf.RpcController.class, GetProtocolVersionsRequestProto.class);

    assertThat(MethodTable.of(TestInfoPB.class).get(method).header())
        .isSameAs(MethodTable.of(TestInfoPB.class).get(method).header())
        .isEqualTo(ProtobufPayloads.header("getProtocolVersions", "tusk.test.Info", 3));
  }

  @Test
  void dynamicCallsReuseOneHeaderPerProtocolVersionAndMethod() {
    com.google.protobuf.Descriptors.MethodDescriptor method =
        io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolInfoService.getDescriptor()
            .findMethodByName("getProtocolVersions");
    DynamicProtobufCall.Headers headers = new DynamicProtobufCall.Headers();

    RequestHeaderProto first = headers.of("p", 1, method);
    assertThat(headers.of("p", 1, method)).isSameAs(first);
    assertThat(first).isEqualTo(ProtobufPayloads.header("getProtocolVersions", "p", 1));
    assertThat(headers.of("p", 2, method)).isNotSameAs(first)
        .extracting(RequestHeaderProto::getClientProtocolVersion).isEqualTo(2L);
    assertThat(headers.size()).isEqualTo(2);
  }

  @Test
  void dynamicHeaderCacheIsBounded() {
    com.google.protobuf.Descriptors.MethodDescriptor method =
        io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolInfoService.getDescriptor()
            .findMethodByName("getProtocolVersions");
    DynamicProtobufCall.Headers headers = new DynamicProtobufCall.Headers();
    for (int v = 0; v < DynamicProtobufCall.Headers.MAX_CACHED + 10; v++) {
      assertThat(headers.of("p", v, method).getClientProtocolVersion()).isEqualTo(v);
    }

    assertThat(headers.size()).isEqualTo(DynamicProtobufCall.Headers.MAX_CACHED);
  }
}
