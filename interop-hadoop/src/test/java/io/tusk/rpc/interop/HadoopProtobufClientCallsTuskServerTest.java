package io.tusk.rpc.interop;

import static org.apache.hadoop.ipc.internal.ShadedProtobufHelper.ipc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tusk.rpc.examples.InMemoryKeyValueStore;
import io.tusk.rpc.examples.KeyNotFoundException;
import io.tusk.rpc.examples.KeyValueProtocolPB;
import io.tusk.rpc.examples.KeyValueServerSideTranslatorPB;
import io.tusk.rpc.interop.hadoopside.proto.KeyValueProtos.DeleteRequestProto;
import io.tusk.rpc.interop.hadoopside.proto.KeyValueProtos.EmptyRequestProto;
import io.tusk.rpc.interop.hadoopside.proto.KeyValueProtos.EntryProto;
import io.tusk.rpc.interop.hadoopside.proto.KeyValueProtos.GetRequestProto;
import io.tusk.rpc.interop.hadoopside.proto.KeyValueProtos.ListKeysRequestProto;
import io.tusk.rpc.interop.hadoopside.proto.KeyValueProtos.MultiGetRequestProto;
import io.tusk.rpc.interop.hadoopside.proto.KeyValueProtos.PutRequestProto;
import io.tusk.rpc.interop.hadoopside.proto.KeyValueProtos.PutResponseProto;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.ipc.ProtobufRpcEngine2;
import org.apache.hadoop.ipc.RPC;
import org.apache.hadoop.ipc.RemoteException;
import org.apache.hadoop.ipc.RpcNoSuchMethodException;
import org.apache.hadoop.ipc.protobuf.ProtocolInfoProtos.GetProtocolVersionsRequestProto;
import org.apache.hadoop.ipc.protobuf.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import org.apache.hadoop.thirdparty.protobuf.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hadoop 3.4.2's protobuf client ({@code ProtobufRpcEngine2} proxies made by {@code RPC.getProxy})
 * calls the reference key-value protocol on a Tusk server ({@link KeyValueServerSideTranslatorPB}
 * over {@link InMemoryKeyValueStore}).
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class HadoopProtobufClientCallsTuskServerTest {
  private String serverName;
  private Server server;
  private InetSocketAddress address;
  private Configuration conf;
  private HadoopKeyValueProtocolPB kv;

  @BeforeEach
  void start() throws IOException {
    serverName = Threads.uniqueName("tusk-kv-for-hadoop");
    server = Server.builder().name(serverName).build();
    KeyValueServerSideTranslatorPB.register(server, new InMemoryKeyValueStore());
    server.start();
    address = new InetSocketAddress("127.0.0.1", server.getListenerAddress().getPort());
    conf = new Configuration();
    conf.setInt("ipc.client.connect.max.retries", 0);
    // Hadoop caches one Client per JVM whose connections outlive stopProxy until idle; a short
    // idle time lets each close (thread and socket) right after the test, so LeakCheck applies.
    conf.setInt("ipc.client.connection.maxidletime", 200);
    kv = proxy(HadoopKeyValueProtocolPB.class);
  }

  /** A Hadoop ProtobufRpcEngine2 proxy of {@code protocol} to the Tusk server. */
  private <T> T proxy(Class<T> protocol) throws IOException {
    RPC.setProtocolEngine(conf, protocol, ProtobufRpcEngine2.class);
    return RPC.getProxy(protocol, RPC.getProtocolVersion(protocol), address, conf);
  }

  @AfterEach
  void stop() {
    if (kv != null) {
      RPC.stopProxy(kv);
    }
    if (server != null) {
      server.close();
      Threads.assertNoneAlive(serverName, Duration.ofSeconds(10));
    }
  }

  private static ByteString bytes(String text) {
    return ByteString.copyFrom(text, StandardCharsets.UTF_8);
  }

  private PutResponseProto put(String key, ByteString value) throws IOException {
    return ipc(() -> kv.put(null, PutRequestProto.newBuilder().setKey(key).setValue(value)
        .build()));
  }

  private ByteString get(String key) throws IOException {
    return ipc(() -> kv.get(null, GetRequestProto.newBuilder().setKey(key).build())).getValue();
  }

  @Test
  void everyMethodOfTheReferenceProtocolWorks() throws IOException {
    ipc(() -> kv.ping(null, EmptyRequestProto.getDefaultInstance()));

    assertThat(put("apple", bytes("red")).hasPrevious()).isFalse();
    assertThat(put("apple", bytes("green")).getPrevious()).isEqualTo(bytes("red"));
    put("avocado", bytes("dark"));
    put("banana", bytes("yellow"));
    assertThat(get("apple")).isEqualTo(bytes("green"));

    assertThat(ipc(() -> kv.listKeys(null, ListKeysRequestProto.newBuilder().setPrefix("a")
        .build())).getKeysList()).containsExactly("apple", "avocado");
    assertThat(ipc(() -> kv.listKeys(null, ListKeysRequestProto.getDefaultInstance()))
        .getKeysList()).containsExactly("apple", "avocado", "banana");

    assertThat(ipc(() -> kv.delete(null, DeleteRequestProto.newBuilder().setKey("banana")
        .build())).getExisted()).isTrue();
    assertThat(ipc(() -> kv.delete(null, DeleteRequestProto.newBuilder().setKey("banana")
        .build())).getExisted()).isFalse();
  }

  @Test
  void repeatedFieldsTravelBothWays() throws IOException {
    put("a", bytes("1"));
    put("c", bytes("3"));

    List<EntryProto> entries = ipc(() -> kv.multiGet(null, MultiGetRequestProto.newBuilder()
        .addAllKeys(List.of("c", "b", "a")).build())).getEntriesList();

    assertThat(entries).extracting(EntryProto::getKey).containsExactly("c", "a");
    assertThat(entries).extracting(EntryProto::getValue).containsExactly(bytes("3"), bytes("1"));
  }

  @Test
  void tuskApplicationErrorArrivesAsRemoteExceptionWithTuskClassName() {
    RemoteException e = catchThrowableOfType(() -> get("missing"), RemoteException.class);

    assertThat(e.getClassName()).isEqualTo(KeyNotFoundException.class.getName());
    assertThat(e.getErrorCode()).isEqualTo(RpcErrorCodeProto.ERROR_APPLICATION);
    assertThat(e.getMessage().lines().findFirst()).contains("no such key: missing");
    assertThat(e.unwrapRemoteException(KeyNotFoundException.class))
        .isInstanceOf(KeyNotFoundException.class).hasMessageStartingWith("no such key: missing");
  }

  @Test
  void unknownMethodIsReportedAsHadoopReportsIt() throws IOException {
    HadoopMisfitProtocols.WrongMethodsPB wrong = proxy(HadoopMisfitProtocols.WrongMethodsPB.class);
    try {
      RemoteException e = catchThrowableOfType(() -> ipc(() -> wrong.getProtocolVersions(null,
          GetProtocolVersionsRequestProto.newBuilder().setProtocol("x").build())),
          RemoteException.class);

      assertThat(e.getClassName()).isEqualTo(RpcNoSuchMethodException.class.getName());
      assertThat(e.getErrorCode()).isEqualTo(RpcErrorCodeProto.ERROR_NO_SUCH_METHOD);
      assertThat(e.getMessage().lines().findFirst()).contains("Unknown method getProtocolVersions"
          + " called on " + KeyValueProtocolPB.NAME + " protocol.");
      assertThat(e.unwrapRemoteException()).isInstanceOf(RpcNoSuchMethodException.class);
    } finally {
      RPC.stopProxy(wrong);
    }
  }

  @Test
  void versionTheServerDoesNotHostIsAVersionMismatchInHadoop() throws IOException {
    HadoopMisfitProtocols.KeyValueV2PB v2 = proxy(HadoopMisfitProtocols.KeyValueV2PB.class);
    try {
      RemoteException e = catchThrowableOfType(
          () -> ipc(() -> v2.ping(null, EmptyRequestProto.getDefaultInstance())),
          RemoteException.class);

      assertThat(e.getClassName()).isEqualTo(RPC.VersionMismatch.class.getName());
      assertThat(e.getErrorCode()).isEqualTo(RpcErrorCodeProto.ERROR_RPC_VERSION_MISMATCH);
      assertThat(e.getMessage().lines().findFirst()).contains("Protocol " + KeyValueProtocolPB.NAME
          + " version mismatch. (client = 2, server = 1)");
      // Hadoop's RPC.VersionMismatch has no (String) constructor: Hadoop cannot unwrap it, whoever
      // the server is, and hands back the RemoteException itself.
      assertThat(e.unwrapRemoteException()).isSameAs(e);
    } finally {
      RPC.stopProxy(v2);
    }
  }

  @Test
  void oneMebibyteValueRoundTrips() throws IOException {
    byte[] value = new byte[1 << 20];
    new Random(42).nextBytes(value);

    put("big", ByteString.copyFrom(value));

    assertThat(get("big").toByteArray()).isEqualTo(value);
  }
}
