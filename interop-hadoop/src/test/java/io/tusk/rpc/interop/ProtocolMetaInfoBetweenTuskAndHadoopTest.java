package io.tusk.rpc.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tusk.rpc.ProtocolSignature;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.examples.InMemoryKeyValueStore;
import io.tusk.rpc.examples.KeyValueClientSideTranslatorPB;
import io.tusk.rpc.examples.KeyValueProtocolPB;
import io.tusk.rpc.examples.KeyValueServerSideTranslatorPB;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolSignatureRequestProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolSignatureResponseProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsRequestProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolSignatureProto;
import io.tusk.rpc.protobuf.ProtobufHelper;
import io.tusk.rpc.protobuf.ProtobufRpcEngine;
import io.tusk.rpc.protobuf.ProtocolMetaInfoPB;
import io.tusk.rpc.protobuf.RpcClientUtil;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.ipc.ProtobufRpcEngine2;
import org.apache.hadoop.ipc.RPC;
import org.apache.hadoop.ipc.internal.ShadedProtobufHelper;
import org.apache.hadoop.ipc.protobuf.ProtocolInfoProtos.ProtocolVersionProto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The protocol meta-info service (ProtocolMetaInfoPB) between Tusk and Hadoop 3.4.2, both ways:
 * Tusk's client asks a Hadoop server hosting the reference protocol, Hadoop's client (its own
 * {@code RpcClientUtil} and a ProtocolMetaInfoPB proxy) asks a Tusk server hosting it.
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class ProtocolMetaInfoBetweenTuskAndHadoopTest {
  private static final String PB = "RPC_PROTOCOL_BUFFER";

  private HadoopKeyValueServer hadoop;
  private String name;
  private Server tusk;
  private InetSocketAddress tuskAddress;
  private Client client;
  private KeyValueClientSideTranslatorPB tuskToHadoop;
  private Configuration conf;
  private HadoopKeyValueProtocolPB hadoopToTusk;

  @BeforeEach
  void start() throws IOException {
    hadoop = new HadoopKeyValueServer();
    name = Threads.uniqueName("tusk-metainfo");
    tusk = Server.builder().name(name + "-srv").build();
    KeyValueServerSideTranslatorPB.register(tusk, new InMemoryKeyValueStore());
    tusk.start();
    tuskAddress = new InetSocketAddress("127.0.0.1", tusk.getListenerAddress().getPort());
    client = Client.builder().name(name + "-cli").build();
    tuskToHadoop = KeyValueClientSideTranslatorPB.connect(client, hadoop.address);
    conf = new Configuration();
    conf.setInt("ipc.client.connect.max.retries", 0);
    // Hadoop caches one Client per JVM whose connections outlive stopProxy until idle; a short
    // idle time lets each close (thread and socket) right after the test, so LeakCheck applies.
    conf.setInt("ipc.client.connection.maxidletime", 200);
    hadoopToTusk = hadoopProxy(HadoopKeyValueProtocolPB.class, tuskAddress);
  }

  private <T> T hadoopProxy(Class<T> protocol, InetSocketAddress address) throws IOException {
    RPC.setProtocolEngine(conf, protocol, ProtobufRpcEngine2.class);
    return RPC.getProxy(protocol, RPC.getProtocolVersion(protocol), address, conf);
  }

  @AfterEach
  void stop() throws IOException, InterruptedException {
    try {
      if (hadoopToTusk != null) {
        RPC.stopProxy(hadoopToTusk);
      }
      if (tuskToHadoop != null) {
        tuskToHadoop.close();
      }
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

  /** Tusk's meta-info proxy over the key-value connection to Hadoop's server. */
  private ProtocolMetaInfoPB tuskMetaInfoOnHadoop() {
    return new ProtobufRpcEngine().getProxy(ProtocolMetaInfoPB.class, ProtocolMetaInfoPB.VERSION,
        ConnectionId.of(hadoop.address, KeyValueProtocolPB.NAME), client);
  }

  private static List<Integer> ints(int[] values) {
    return Arrays.stream(values).boxed().toList();
  }

  // --- Tusk's client, Hadoop's server --------------------------------------------------------

  @Test
  void hadoopServerSignsTheProtocolClassItIsAskedAboutWithHadoopsFingerprints()
      throws IOException {
    GetProtocolSignatureResponseProto response = ProtobufHelper.ipc(() ->
        tuskMetaInfoOnHadoop().getProtocolSignature(null, GetProtocolSignatureRequestProto
            .newBuilder().setProtocol(HadoopKeyValueProtocolPB.class.getName()).setRpcKind(PB)
            .build()));

    assertThat(response.getProtocolSignatureList()).hasSize(1);
    ProtocolSignatureProto signature = response.getProtocolSignature(0);
    assertThat(signature.getVersion()).isEqualTo(KeyValueProtocolPB.VERSION);
    // Tusk computes Hadoop's fingerprints of the same class exactly.
    assertThat(signature.getMethodsList()).containsExactlyInAnyOrderElementsOf(
        ints(ProtocolSignature.fingerprintsOf(HadoopKeyValueProtocolPB.class)));
  }

  @Test
  void hadoopServerResolvesTheRequestedClassByHadoopsOwnProtocolInfoOnly() throws IOException {
    // Tusk's KeyValueProtocolPB carries Tusk's @ProtocolInfo, which Hadoop does not read: to
    // Hadoop it names a protocol "io.tusk.rpc.examples.KeyValueProtocolPB" it does not host.
    GetProtocolSignatureResponseProto response = ProtobufHelper.ipc(() ->
        tuskMetaInfoOnHadoop().getProtocolSignature(null, GetProtocolSignatureRequestProto
            .newBuilder().setProtocol(KeyValueProtocolPB.class.getName()).setRpcKind(PB)
            .build()));

    assertThat(response.getProtocolSignatureList()).isEmpty();
  }

  @Test
  void hadoopServerFailsAnUnknownClassWithClassNotFoundAsTuskDoes() {
    io.tusk.rpc.RemoteException e = catchThrowableOfType(() -> ProtobufHelper.ipc(() ->
        tuskMetaInfoOnHadoop().getProtocolSignature(null, GetProtocolSignatureRequestProto
            .newBuilder().setProtocol("no.such.Protocol").setRpcKind(PB).build())),
        io.tusk.rpc.RemoteException.class);

    assertThat(e.getClassName()).isEqualTo(ClassNotFoundException.class.getName());
    assertThat(e.getMessage().lines().findFirst()).contains("no.such.Protocol");
  }

  @Test
  void hadoopServerCannotListVersionsWhenAKindHasNone() {
    // Hadoop leaves the required rpcKind unset for a kind without versions (here RPC_BUILTIN and
    // RPC_WRITABLE), so building its answer fails on the server; Tusk answers instead.
    io.tusk.rpc.RemoteException e = catchThrowableOfType(() -> ProtobufHelper.ipc(() ->
        tuskMetaInfoOnHadoop().getProtocolVersions(null, GetProtocolVersionsRequestProto
            .newBuilder().setProtocol(HadoopKeyValueProtocolPB.class.getName()).build())),
        io.tusk.rpc.RemoteException.class);

    assertThat(e.getClassName())
        .isEqualTo("org.apache.hadoop.thirdparty.protobuf.UninitializedMessageException");
  }

  @Test
  void tuskIsMethodSupportedAgainstHadoopServer() throws IOException {
    Object proxy = tuskToHadoop.proxy();
    RpcKind kind = RpcKind.RPC_PROTOCOL_BUFFER;

    assertThat(RpcClientUtil.isMethodSupported(proxy, HadoopKeyValueProtocolPB.class, kind, 1,
        "get")).isTrue();
    assertThat(RpcClientUtil.isMethodSupported(proxy, HadoopKeyValueProtocolPB.class, kind, 2,
        "get")).isFalse();
    assertThat(RpcClientUtil.isMethodSupported(proxy, HadoopKeyValueProtocolPB.class, kind, 1,
        "compact")).isFalse();
    assertThat(RpcClientUtil.isMethodSupported(proxy, KeyValueProtocolPB.class, kind, 1, "get"))
        .as("Hadoop does not read Tusk's @ProtocolInfo").isFalse();
  }

  @Test
  void hadoopServerSignsTheFirstClassAskedAboutUnderAProtocolNameWhateverItServes()
      throws IOException {
    // Hadoop's server fingerprints the class named in the request, as it loads it, and caches the
    // result JVM-wide by protocol name (ProtocolSignature's PROTOCOL_FINGERPRINT_CACHE).
    org.apache.hadoop.ipc.ProtocolSignature.resetCache();
    try {
      Object proxy = tuskToHadoop.proxy();
      RpcKind kind = RpcKind.RPC_PROTOCOL_BUFFER;

      assertThat(RpcClientUtil.isMethodSupported(proxy,
          HadoopMisfitProtocols.WrongMethodsPB.class, kind, 1, "getProtocolVersions"))
          .as("a method Hadoop's key-value server does not serve").isTrue();
      assertThat(RpcClientUtil.isMethodSupported(proxy, HadoopKeyValueProtocolPB.class, kind, 1,
          "get")).as("the cache now holds WrongMethodsPB's fingerprints").isFalse();
    } finally {
      org.apache.hadoop.ipc.ProtocolSignature.resetCache();
    }
  }

  // --- Tusk's client, both servers side by side ----------------------------------------------

  /** Tusk's meta-info proxy over a key-value connection to Tusk's server. */
  private ProtocolMetaInfoPB tuskMetaInfoOnTusk() {
    return new ProtobufRpcEngine().getProxy(ProtocolMetaInfoPB.class, ProtocolMetaInfoPB.VERSION,
        ConnectionId.of(tuskAddress, KeyValueProtocolPB.NAME), client);
  }

  private static GetProtocolSignatureResponseProto signature(ProtocolMetaInfoPB metaInfo,
      String protocol, RpcKind kind) throws IOException {
    return ProtobufHelper.ipc(() -> metaInfo.getProtocolSignature(null,
        GetProtocolSignatureRequestProto.newBuilder().setProtocol(protocol)
            .setRpcKind(kind.name()).build()));
  }

  @Test
  void tuskSignsAProtocolClassExactlyAsHadoopDoesSortedAndWithoutDuplicates()
      throws IOException {
    org.apache.hadoop.ipc.ProtocolSignature.resetCache();
    try {
      for (RpcKind kind : RpcKind.values()) {
        GetProtocolSignatureResponseProto fromHadoop =
            signature(tuskMetaInfoOnHadoop(), HadoopKeyValueProtocolPB.class.getName(), kind);
        GetProtocolSignatureResponseProto fromTusk =
            signature(tuskMetaInfoOnTusk(), HadoopKeyValueProtocolPB.class.getName(), kind);

        assertThat(fromTusk).as(kind.name()).isEqualTo(fromHadoop);
      }
      List<Integer> methods = signature(tuskMetaInfoOnHadoop(),
          HadoopKeyValueProtocolPB.class.getName(), RpcKind.RPC_PROTOCOL_BUFFER)
          .getProtocolSignature(0).getMethodsList();
      assertThat(methods).as("Hadoop sorts the fingerprints it lists").isSorted()
          .doesNotHaveDuplicates()
          .hasSize(HadoopKeyValueProtocolPB.class.getMethods().length);
    } finally {
      org.apache.hadoop.ipc.ProtocolSignature.resetCache();
    }
  }

  @Test
  void aNameNeitherServerCanLoadFailsOnHadoopWhileTuskFallsBackToTheHostedWireName()
      throws IOException {
    // The key-value protocol's wire name is no class: Hadoop's Class.forName fails.
    io.tusk.rpc.RemoteException e = catchThrowableOfType(() -> signature(tuskMetaInfoOnHadoop(),
        KeyValueProtocolPB.NAME, RpcKind.RPC_PROTOCOL_BUFFER), io.tusk.rpc.RemoteException.class);
    assertThat(e.getClassName()).isEqualTo(ClassNotFoundException.class.getName());

    GetProtocolSignatureResponseProto fromTusk =
        signature(tuskMetaInfoOnTusk(), KeyValueProtocolPB.NAME, RpcKind.RPC_PROTOCOL_BUFFER);
    assertThat(fromTusk).isEqualTo(signature(tuskMetaInfoOnTusk(),
        KeyValueProtocolPB.class.getName(), RpcKind.RPC_PROTOCOL_BUFFER));
    assertThat(fromTusk.getProtocolSignatureList()).extracting(ProtocolSignatureProto::getVersion)
        .containsExactly(KeyValueProtocolPB.VERSION);
  }

  @Test
  void tuskIsMethodSupportedThroughAProtobufProxyAnswersAlikeForBothServers()
      throws IOException {
    // Hadoop signs the first class asked about under a protocol name (JVM-wide): asking about
    // the served one first makes its answer about KeyValuePlusPB the server's, as Tusk's is.
    org.apache.hadoop.ipc.ProtocolSignature.resetCache();
    try (KeyValueClientSideTranslatorPB tuskToTusk =
        KeyValueClientSideTranslatorPB.connect(client, tuskAddress)) {
      RpcKind pb = RpcKind.RPC_PROTOCOL_BUFFER;
      // the translator stands for its proxy, as Hadoop's ProtocolTranslator does
      Map<String, Object> proxies = new LinkedHashMap<>();
      proxies.put("Hadoop's server", tuskToHadoop);
      proxies.put("Tusk's server", tuskToTusk.proxy());
      for (Map.Entry<String, Object> entry : proxies.entrySet()) {
        String server = entry.getKey();
        Object proxy = entry.getValue();
        assertThat(RpcClientUtil.isMethodSupported(proxy, HadoopKeyValueProtocolPB.class, pb, 1,
            "multiGet")).as(server).isTrue();
        assertThat(RpcClientUtil.isMethodSupported(proxy, HadoopKeyValueProtocolPB.class, pb, 2,
            "multiGet")).as(server + ": an unhosted version").isFalse();
        assertThat(RpcClientUtil.isMethodSupported(proxy,
            HadoopMisfitProtocols.KeyValuePlusPB.class, pb, 1, "compact"))
            .as(server + ": a method it does not serve").isFalse();
        assertThat(RpcClientUtil.isMethodSupported(proxy,
            HadoopMisfitProtocols.KeyValuePlusPB.class, pb, 1, "listKeys"))
            .as(server).isTrue();
        assertThat(RpcClientUtil.isMethodSupported(proxy, HadoopKeyValueProtocolPB.class,
            RpcKind.RPC_WRITABLE, 1, "multiGet")).as(server + ": another kind").isFalse();
      }
    } finally {
      org.apache.hadoop.ipc.ProtocolSignature.resetCache();
    }
  }

  // --- Hadoop's client, Tusk's server --------------------------------------------------------

  @Test
  void hadoopIsMethodSupportedAgainstTuskServer() throws IOException {
    RPC.RpcKind kind = RPC.RpcKind.RPC_PROTOCOL_BUFFER;

    assertThat(org.apache.hadoop.ipc.RpcClientUtil.isMethodSupported(hadoopToTusk,
        HadoopKeyValueProtocolPB.class, kind, 1, "get")).isTrue();
    assertThat(org.apache.hadoop.ipc.RpcClientUtil.isMethodSupported(hadoopToTusk,
        HadoopKeyValueProtocolPB.class, kind, 1, "multiGet")).isTrue();
    assertThat(org.apache.hadoop.ipc.RpcClientUtil.isMethodSupported(hadoopToTusk,
        HadoopKeyValueProtocolPB.class, kind, 2, "get")).isFalse();
    assertThat(org.apache.hadoop.ipc.RpcClientUtil.isMethodSupported(hadoopToTusk,
        HadoopKeyValueProtocolPB.class, kind, 1, "compact")).isFalse();
    assertThat(org.apache.hadoop.ipc.RpcClientUtil.isMethodSupported(hadoopToTusk,
        HadoopMisfitProtocols.WrongMethodsPB.class, kind, 1, "getProtocolVersions"))
        .as("Tusk's server does not serve it under the key-value protocol").isFalse();
  }

  @Test
  void hadoopMetaInfoClientReadsTuskAnswers() throws IOException {
    org.apache.hadoop.ipc.ProtocolMetaInfoPB metaInfo =
        hadoopProxy(org.apache.hadoop.ipc.ProtocolMetaInfoPB.class, tuskAddress);
    try {
      List<ProtocolVersionProto> versions = ShadedProtobufHelper.ipc(() ->
          metaInfo.getProtocolVersions(null, org.apache.hadoop.ipc.protobuf.ProtocolInfoProtos
              .GetProtocolVersionsRequestProto.newBuilder()
              .setProtocol(HadoopKeyValueProtocolPB.class.getName()).build()))
          .getProtocolVersionsList();

      assertThat(versions).extracting(ProtocolVersionProto::getRpcKind)
          .containsExactly("RPC_BUILTIN", "RPC_WRITABLE", "RPC_PROTOCOL_BUFFER");
      assertThat(versions.get(2).getVersionsList()).containsExactly(KeyValueProtocolPB.VERSION);
      assertThat(versions.get(0).getVersionsList()).isEmpty();
    } finally {
      RPC.stopProxy(metaInfo);
    }
  }
}
