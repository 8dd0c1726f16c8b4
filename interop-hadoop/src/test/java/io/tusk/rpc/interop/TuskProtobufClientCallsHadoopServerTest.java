package io.tusk.rpc.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ServiceException;
import io.tusk.rpc.ProtocolInfo;
import io.tusk.rpc.RPC;
import io.tusk.rpc.RemoteException;
import io.tusk.rpc.RpcNoSuchMethodException;
import io.tusk.rpc.RpcNoSuchProtocolException;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.examples.KeyNotFoundException;
import io.tusk.rpc.examples.KeyValueClientSideTranslatorPB;
import io.tusk.rpc.examples.KeyValueProtocolPB;
import io.tusk.rpc.examples.proto.KeyValueProtos.EmptyRequestProto;
import io.tusk.rpc.examples.proto.KeyValueProtos.GetRequestProto;
import io.tusk.rpc.examples.proto.KeyValueProtos.KeyValueService;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsRequestProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolInfoService;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.protobuf.ProtobufHelper;
import io.tusk.rpc.protobuf.ProtobufRpcEngine;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tusk's protobuf client ({@link KeyValueClientSideTranslatorPB} over a {@link ProtobufRpcEngine}
 * proxy) calls the reference protocol served by a real Hadoop 3.4.2 {@code ProtobufRpcEngine2}
 * server, and reads Hadoop's errors as Tusk's types.
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class TuskProtobufClientCallsHadoopServerTest {
  /** The key-value protocol at a version Hadoop's server does not host. */
  @ProtocolInfo(protocolName = KeyValueProtocolPB.NAME, protocolVersion = 2)
  interface KeyValueV2PB extends KeyValueService.BlockingInterface {}

  /** A protocol Hadoop's server does not host at all. */
  @ProtocolInfo(protocolName = "no.such.Protocol", protocolVersion = 1)
  interface UnknownPB extends KeyValueService.BlockingInterface {}

  /** The key-value protocol's name and version, with methods it does not have. */
  @ProtocolInfo(protocolName = KeyValueProtocolPB.NAME, protocolVersion = KeyValueProtocolPB.VERSION)
  interface WrongMethodsPB extends ProtocolInfoService.BlockingInterface {}

  private static final EmptyRequestProto EMPTY = EmptyRequestProto.getDefaultInstance();

  private HadoopKeyValueServer hadoop;
  private String clientName;
  private Client client;
  private KeyValueClientSideTranslatorPB kv;

  @BeforeEach
  void start() throws IOException {
    hadoop = new HadoopKeyValueServer();
    clientName = Threads.uniqueName("tusk-kv-to-hadoop");
    client = Client.builder().name(clientName).build();
    kv = KeyValueClientSideTranslatorPB.connect(client, hadoop.address);
  }

  @AfterEach
  void stop() throws IOException, InterruptedException {
    try {
      if (kv != null) {
        kv.close();
      }
      if (client != null) {
        client.close();
        Threads.assertNoneAlive(clientName, Duration.ofSeconds(10));
      }
    } finally {
      if (hadoop != null) {
        hadoop.close();
      }
    }
  }

  /** A Tusk proxy of {@code protocol} over the key-value connection. */
  private <T> T proxy(Class<T> protocol) {
    return new ProtobufRpcEngine().getProxy(protocol, RPC.getProtocolVersion(protocol),
        ConnectionId.of(hadoop.address, KeyValueProtocolPB.NAME), client);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyMethodOfTheReferenceProtocolWorks() throws IOException {
    kv.ping();
    assertThat(kv.put("apple", bytes("red"))).isNull();
    assertThat(kv.put("apple", bytes("green"))).isEqualTo(bytes("red"));
    kv.put("avocado", bytes("dark"));
    kv.put("banana", bytes("yellow"));

    assertThat(kv.get("apple")).isEqualTo(bytes("green"));
    assertThat(kv.listKeys("a")).containsExactly("apple", "avocado");
    assertThat(kv.listKeys(null)).containsExactly("apple", "avocado", "banana");
    Map<String, byte[]> found = kv.multiGet(List.of("banana", "cherry", "apple"));
    assertThat(found).containsOnlyKeys("banana", "apple");
    assertThat(found.keySet()).containsExactly("banana", "apple");
    assertThat(found.get("banana")).isEqualTo(bytes("yellow"));
    assertThat(kv.delete("banana")).isTrue();
    assertThat(kv.delete("banana")).isFalse();
  }

  @Test
  void oneMebibyteValueRoundTrips() throws IOException {
    byte[] value = new byte[1 << 20];
    new Random(7).nextBytes(value);

    kv.put("big", value);

    assertThat(kv.get("big")).isEqualTo(value);
  }

  @Test
  void hadoopApplicationErrorArrivesAsRemoteExceptionWithItsClassName() {
    ServiceException e = catchThrowableOfType(() -> kv.proxy().get(null,
        GetRequestProto.newBuilder().setKey("missing").build()), ServiceException.class);

    assertThat(e.getCause()).isInstanceOfSatisfying(RemoteException.class, re -> {
      assertThat(re.getClassName()).isEqualTo(KeyNotFoundException.class.getName());
      assertThat(re.getErrorCode()).isEqualTo(RpcErrorCodeProto.ERROR_APPLICATION);
      assertThat(re.getMessage().lines().findFirst()).contains("no such key: missing");
    });
    // the translator unwraps it to the application's own type
    assertThatThrownBy(() -> kv.get("missing")).isInstanceOf(KeyNotFoundException.class)
        .hasMessageStartingWith("no such key: missing");
  }

  private static RemoteException remoteFailure(ProtobufHelper.IpcCall<?> call) {
    ServiceException e = catchThrowableOfType(call::call, ServiceException.class);
    assertThat(e.getCause()).isInstanceOf(RemoteException.class);
    return (RemoteException) e.getCause();
  }

  @Test
  void hadoopUnknownMethodUnwrapsToRpcNoSuchMethodException() {
    WrongMethodsPB wrong = proxy(WrongMethodsPB.class);

    RemoteException e = remoteFailure(() -> wrong.getProtocolVersions(null,
        GetProtocolVersionsRequestProto.newBuilder().setProtocol("x").build()));

    assertThat(e.getClassName()).isEqualTo("org.apache.hadoop.ipc.RpcNoSuchMethodException");
    assertThat(e.getErrorCode()).isEqualTo(RpcErrorCodeProto.ERROR_NO_SUCH_METHOD);
    assertThat(e.getMessage().lines().findFirst()).contains("Unknown method getProtocolVersions"
        + " called on " + KeyValueProtocolPB.NAME + " protocol.");
    assertThat(e.unwrapRemoteException()).isInstanceOf(RpcNoSuchMethodException.class);
  }

  @Test
  void hadoopVersionMismatchUnwrapsToTuskVersionMismatch() {
    KeyValueV2PB v2 = proxy(KeyValueV2PB.class);

    RemoteException e = remoteFailure(() -> v2.ping(null, EMPTY));

    assertThat(e.getClassName()).isEqualTo("org.apache.hadoop.ipc.RPC$VersionMismatch");
    assertThat(e.getErrorCode()).isEqualTo(RpcErrorCodeProto.ERROR_RPC_VERSION_MISMATCH);
    assertThat(e.getMessage().lines().findFirst()).contains("Protocol " + KeyValueProtocolPB.NAME
        + " version mismatch. (client = 2, server = 1)");
    assertThat(e.unwrapRemoteException()).isInstanceOf(RPC.VersionMismatch.class);
  }

  @Test
  void hadoopUnknownProtocolUnwrapsToRpcNoSuchProtocolException() {
    UnknownPB unknown = proxy(UnknownPB.class);

    RemoteException e = remoteFailure(() -> unknown.ping(null, EMPTY));

    assertThat(e.getClassName()).isEqualTo("org.apache.hadoop.ipc.RpcNoSuchProtocolException");
    assertThat(e.getErrorCode()).isEqualTo(RpcErrorCodeProto.ERROR_NO_SUCH_PROTOCOL);
    assertThat(e.getMessage().lines().findFirst()).contains("Unknown protocol: no.such.Protocol");
    assertThat(e.unwrapRemoteException()).isInstanceOf(RpcNoSuchProtocolException.class);
  }

  @Test
  void connectionSurvivesTheErrorsAndTheClientLeavesNoThread() throws IOException {
    remoteFailure(() -> proxy(KeyValueV2PB.class).ping(null, EMPTY));
    kv.ping();
    assertThat(client.connectionCount()).isEqualTo(1);

    kv.close();
    kv = null;
    client.close();
    client = null;
    Threads.assertNoneAlive(clientName, Duration.ofSeconds(10));
  }
}
