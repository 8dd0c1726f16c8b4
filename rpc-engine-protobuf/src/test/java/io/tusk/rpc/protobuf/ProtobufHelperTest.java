package io.tusk.rpc.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ServiceException;
import io.tusk.rpc.RPC;
import io.tusk.rpc.RemoteException;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcNoSuchMethodException;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsRequestProto;
import io.tusk.rpc.server.ProtocolRegistry;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Translator helpers, exercised through a proxy over the in-memory server half. */
@Timeout(10)
class ProtobufHelperTest {
  private final ProtocolRegistry protocols = new ProtocolRegistry();
  private final ConnectionId remote =
      ConnectionId.of(new InetSocketAddress("127.0.0.1", 11), TestInfoPB.NAME);

  ProtobufHelperTest() {
    protocols.add(RpcKind.RPC_PROTOCOL_BUFFER, TestInfoPB.NAME, 3, TestInfoPB.class,
        TestInfoService.blocking(3));
  }

  private <T> T proxy(Class<T> type) {
    return ProtobufRpcEngine.newProxy(type, remote, null,
        new InMemoryTransport(protocols, TestInfoPB.NAME));
  }

  private static GetProtocolVersionsRequestProto request(String protocol) {
    return GetProtocolVersionsRequestProto.newBuilder().setProtocol(protocol).build();
  }

  @Test
  void ipcReturnsTheResult() throws IOException {
    TestInfoPB proxy = proxy(TestInfoPB.class);
    assertThat(ProtobufHelper.ipc(() -> proxy.getProtocolVersions(null, request("a")))
        .getProtocolVersions(0).getVersions(0)).isEqualTo(3);
  }

  @Test
  void applicationExceptionUnwrapsToItsClassAndMessage() {
    TestInfoPB proxy = proxy(TestInfoPB.class);
    assertThatThrownBy(() -> ProtobufHelper.ipc(() -> proxy.getProtocolVersions(null,
        request("fail-io"))))
        .isExactlyInstanceOf(FileNotFoundException.class)
        .hasMessage("no such file: /x")
        .hasCauseInstanceOf(RemoteException.class);
  }

  @Test
  void frameworkErrorsUnwrapToTuskTypes() {
    TestInfoPB.V5 proxy = proxy(TestInfoPB.V5.class);
    assertThatThrownBy(() -> ProtobufHelper.ipc(() -> proxy.getProtocolVersions(null,
        request("a"))))
        .isExactlyInstanceOf(RPC.VersionMismatch.class)
        .hasMessage("Protocol tusk.test.Info version mismatch. (client = 5, server = 3)");
  }

  @Test
  void unloadableRemoteClassStaysARemoteException() {
    ServiceException e = new ServiceException(
        new RemoteException("com.example.Unknown", "x"));
    assertThat(ProtobufHelper.getRemoteException(e)).isExactlyInstanceOf(RemoteException.class);
  }

  @Test
  void localIoExceptionIsReturnedAndOtherCausesAreWrapped() {
    IOException io = new IOException("local");
    assertThat(ProtobufHelper.getRemoteException(new ServiceException(io))).isSameAs(io);
    ServiceException plain = new ServiceException("plain");
    assertThat(ProtobufHelper.getRemoteException(plain)).hasCause(plain);
    RpcNoSuchMethodException known = new RpcNoSuchMethodException("m");
    assertThat(ProtobufHelper.getRemoteException(new ServiceException(known))).isSameAs(known);
  }
}
