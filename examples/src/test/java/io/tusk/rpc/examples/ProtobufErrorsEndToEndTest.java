package io.tusk.rpc.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ServiceException;
import io.tusk.rpc.ProtocolInfo;
import io.tusk.rpc.ProtocolSignature;
import io.tusk.rpc.RPC;
import io.tusk.rpc.RemoteException;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcNoSuchMethodException;
import io.tusk.rpc.RpcNoSuchProtocolException;
import io.tusk.rpc.examples.proto.KeyValueProtos.EmptyRequestProto;
import io.tusk.rpc.examples.proto.KeyValueProtos.KeyValueService;
import io.tusk.rpc.proto.ProtobufEngineProtos.RequestHeaderProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolSignatureRequestProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolSignatureResponseProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsRequestProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsResponseProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolInfoService;
import io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolVersionProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.protobuf.ProtobufHelper;
import io.tusk.rpc.protobuf.ProtocolMetaInfoPB;
import io.tusk.rpc.protobuf.RpcClientUtil;
import io.tusk.rpc.testing.LeakCheck;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Framework errors of the protobuf engine over real sockets, as WIRE.md's table states them, and
 * the protocol meta-info service of a server hosting the reference protocol.
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class ProtobufErrorsEndToEndTest {
  /** The key-value protocol at a version the server does not host. */
  @ProtocolInfo(protocolName = KeyValueProtocolPB.NAME, protocolVersion = 2)
  interface KeyValueV2PB extends KeyValueService.BlockingInterface {}

  /** A protocol no server hosts. */
  @ProtocolInfo(protocolName = "no.such.Protocol", protocolVersion = 1)
  interface UnknownPB extends KeyValueService.BlockingInterface {}

  /** The key-value protocol's name and version, but methods it does not have. */
  @ProtocolInfo(protocolName = KeyValueProtocolPB.NAME, protocolVersion = 1)
  interface WrongMethodsPB extends ProtocolInfoService.BlockingInterface {}

  private static final EmptyRequestProto EMPTY = EmptyRequestProto.getDefaultInstance();

  private Loopback loop;

  @BeforeEach
  void start() throws IOException {
    loop = new Loopback();
  }

  @AfterEach
  void stop() throws IOException {
    if (loop != null) {
      loop.close();
    }
  }

  private static void assertRemote(ThrowingCallable call, String className, String message,
      RpcErrorCodeProto code, Consumer<IOException> unwrapped) {
    assertThatThrownBy(call).isInstanceOf(ServiceException.class)
        .cause().isInstanceOfSatisfying(RemoteException.class, re -> {
          assertThat(re.getClassName()).isEqualTo(className);
          assertThat(re.getMessage()).isEqualTo(message);
          assertThat(re.getErrorCode()).isEqualTo(code);
          unwrapped.accept(ProtobufHelper.getRemoteException(new ServiceException(re)));
        });
  }

  @Test
  void unknownProtocol() throws IOException {
    UnknownPB proxy = loop.proxy(UnknownPB.class);
    assertRemote(() -> proxy.ping(null, EMPTY),
        "org.apache.hadoop.ipc.RpcNoSuchProtocolException", "Unknown protocol: no.such.Protocol",
        RpcErrorCodeProto.ERROR_NO_SUCH_PROTOCOL,
        e -> assertThat(e).isExactlyInstanceOf(RpcNoSuchProtocolException.class));
    loop.kv.ping(); // an ERROR leaves the connection open
  }

  @Test
  void versionNotServed() throws IOException {
    KeyValueV2PB proxy = loop.proxy(KeyValueV2PB.class);
    assertRemote(() -> proxy.ping(null, EMPTY), "org.apache.hadoop.ipc.RPC$VersionMismatch",
        "Protocol io.tusk.rpc.examples.KeyValueProtocol version mismatch. (client = 2, server = 1)",
        RpcErrorCodeProto.ERROR_RPC_VERSION_MISMATCH,
        e -> assertThat(e).isExactlyInstanceOf(RPC.VersionMismatch.class));
    loop.kv.ping();
  }

  @Test
  void unknownMethod() throws IOException {
    WrongMethodsPB proxy = loop.proxy(WrongMethodsPB.class);
    assertRemote(() -> proxy.getProtocolVersions(null,
            GetProtocolVersionsRequestProto.newBuilder().setProtocol("x").build()),
        "org.apache.hadoop.ipc.RpcNoSuchMethodException",
        "Unknown method getProtocolVersions called on io.tusk.rpc.examples.KeyValueProtocol "
            + "protocol.",
        RpcErrorCodeProto.ERROR_NO_SUCH_METHOD,
        e -> assertThat(e).isExactlyInstanceOf(RpcNoSuchMethodException.class));
    loop.kv.ping();
  }

  @Test
  void malformedRequestMessageIsAnErrorThatKeepsTheConnection() throws IOException {
    byte[] header = delimited(RequestHeaderProto.newBuilder().setMethodName("get")
        .setDeclaringClassProtocolName(KeyValueProtocolPB.NAME).setClientProtocolVersion(1)
        .build());
    // A delimited GetRequestProto without its required key.
    byte[] payload = Arrays.copyOf(header, header.length + 1);

    assertThatThrownBy(() -> loop.client.call(RpcKind.RPC_PROTOCOL_BUFFER,
        out -> out.write(payload), loop.remote()))
        .isInstanceOfSatisfying(RemoteException.class, re -> {
          assertThat(re.getClassName())
              .isEqualTo("org.apache.hadoop.thirdparty.protobuf.InvalidProtocolBufferException");
          assertThat(re.getMessage()).contains("key");
          assertThat(re.getErrorCode()).isEqualTo(RpcErrorCodeProto.ERROR_APPLICATION);
        });
    // A header that is not a RequestHeaderProto is answered the same way.
    assertThatThrownBy(() -> loop.client.call(RpcKind.RPC_PROTOCOL_BUFFER,
        out -> out.write(new byte[] {3, 1, 2, 3}), loop.remote()))
        .isInstanceOfSatisfying(RemoteException.class, re -> assertThat(re.getErrorCode())
            .isEqualTo(RpcErrorCodeProto.ERROR_APPLICATION));
    loop.kv.ping();
    assertThat(loop.client.connectionCount()).isEqualTo(1);
  }

  private static byte[] delimited(com.google.protobuf.Message m) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    m.writeDelimitedTo(out);
    return out.toByteArray();
  }

  @Test
  void protocolVersionsOfTheReferenceProtocol() throws Exception {
    ProtocolMetaInfoPB meta = loop.proxy(ProtocolMetaInfoPB.class);

    GetProtocolVersionsResponseProto response = meta.getProtocolVersions(null,
        GetProtocolVersionsRequestProto.newBuilder()
            .setProtocol(KeyValueProtocolPB.class.getName()).build());

    assertThat(response.getProtocolVersionsList()).containsExactly(
        ProtocolVersionProto.newBuilder().setRpcKind("RPC_BUILTIN").build(),
        ProtocolVersionProto.newBuilder().setRpcKind("RPC_WRITABLE").build(),
        ProtocolVersionProto.newBuilder().setRpcKind("RPC_PROTOCOL_BUFFER").addVersions(1)
            .build());
  }

  @Test
  void protocolSignatureOfTheReferenceProtocol() throws Exception {
    ProtocolMetaInfoPB meta = loop.proxy(ProtocolMetaInfoPB.class);

    GetProtocolSignatureResponseProto response = meta.getProtocolSignature(null,
        GetProtocolSignatureRequestProto.newBuilder()
            .setProtocol(KeyValueProtocolPB.class.getName())
            .setRpcKind("RPC_PROTOCOL_BUFFER").build());

    assertThat(response.getProtocolSignatureCount()).isEqualTo(1);
    assertThat(response.getProtocolSignature(0).getVersion()).isEqualTo(1);
    // each of the six methods twice: with protobuf-java's and with Hadoop's shaded RpcController
    assertThat(response.getProtocolSignature(0).getMethodsList())
        .containsAll(Arrays.stream(
            ProtocolSignature.fingerprintsOf(KeyValueProtocolPB.class)).boxed().toList())
        .hasSize(12);
  }

  @Test
  void protocolSignatureOfAnUnknownClassIsClassNotFound() {
    ProtocolMetaInfoPB meta = loop.proxy(ProtocolMetaInfoPB.class);
    assertRemote(() -> meta.getProtocolSignature(null, GetProtocolSignatureRequestProto
            .newBuilder().setProtocol("no.such.Class").setRpcKind("RPC_PROTOCOL_BUFFER").build()),
        "java.lang.ClassNotFoundException", "no.such.Class", RpcErrorCodeProto.ERROR_APPLICATION,
        e -> assertThat(e).isInstanceOf(RemoteException.class));
  }

  @Test
  void isMethodSupportedAsksOverTheProxysConnection() throws IOException {
    Object proxy = loop.kv.proxy();
    assertThat(RpcClientUtil.isMethodSupported(proxy, KeyValueProtocolPB.class,
        RpcKind.RPC_PROTOCOL_BUFFER, 1, "multiGet")).isTrue();
    assertThat(RpcClientUtil.isMethodSupported(proxy, KeyValueProtocolPB.class,
        RpcKind.RPC_PROTOCOL_BUFFER, 2, "multiGet")).isFalse();
    assertThat(RpcClientUtil.isMethodSupported(proxy, KeyValueProtocolPB.class,
        RpcKind.RPC_PROTOCOL_BUFFER, 1, "noSuchMethod")).isFalse();
    assertThat(RpcClientUtil.isMethodSupported(proxy, KeyValueProtocolPB.class,
        RpcKind.RPC_WRITABLE, 1, "multiGet")).isFalse();
    assertThat(loop.client.connectionCount()).isEqualTo(1);
  }
}
