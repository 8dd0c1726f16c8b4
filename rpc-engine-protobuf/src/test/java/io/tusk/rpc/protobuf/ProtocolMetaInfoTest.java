package io.tusk.rpc.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ServiceException;
import io.tusk.rpc.ProtocolInfo;
import io.tusk.rpc.ProtocolSignature;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolSignatureRequestProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolSignatureResponseProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsRequestProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsResponseProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolInfoService;
import io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolSignatureProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolVersionProto;
import io.tusk.rpc.server.ProtocolRegistry;
import io.tusk.rpc.testing.LeakCheck;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The meta-info service's answers and the client's isMethodSupported, over an in-memory call. */
@Timeout(10)
@ExtendWith(LeakCheck.class)
class ProtocolMetaInfoTest {
  /** A Writable-style protocol of the same name, to show kinds are reported separately. */
  @ProtocolInfo(protocolName = TestInfoPB.NAME, protocolVersion = 7)
  interface WritableFlavour {
    long ping(long value);
  }

  private final ProtocolRegistry protocols = new ProtocolRegistry();
  private final ProtocolMetaInfoServerSideTranslatorPB translator =
      new ProtocolMetaInfoServerSideTranslatorPB(protocols);

  ProtocolMetaInfoTest() {
    protocols.add(RpcKind.RPC_PROTOCOL_BUFFER, TestInfoPB.NAME, 3, TestInfoPB.class,
        TestInfoService.blocking(3));
    protocols.add(RpcKind.RPC_PROTOCOL_BUFFER, TestInfoPB.NAME, 4, TestInfoPB.V4.class,
        TestInfoService.blocking(4));
    protocols.add(RpcKind.RPC_WRITABLE, TestInfoPB.NAME, 7, WritableFlavour.class, new Object());
    protocols.add(RpcKind.RPC_PROTOCOL_BUFFER, ProtocolMetaInfoPB.NAME, 1,
        ProtocolMetaInfoPB.class, ProtocolInfoService.newReflectiveBlockingService(translator));
  }

  private static List<Integer> ints(int[] values) {
    return java.util.Arrays.stream(values).boxed().toList();
  }

  @Test
  void protocolVersionsListsEveryKindByName() throws Exception {
    GetProtocolVersionsResponseProto response = translator.getProtocolVersions(null,
        GetProtocolVersionsRequestProto.newBuilder().setProtocol(TestInfoPB.class.getName())
            .build());

    assertThat(response.getProtocolVersionsList()).containsExactly(
        ProtocolVersionProto.newBuilder().setRpcKind("RPC_BUILTIN").build(),
        ProtocolVersionProto.newBuilder().setRpcKind("RPC_WRITABLE").addVersions(7).build(),
        ProtocolVersionProto.newBuilder().setRpcKind("RPC_PROTOCOL_BUFFER")
            .addVersions(3).addVersions(4).build());
  }

  @Test
  void protocolSignatureGivesFingerprintsOfTheRegisteredInterfacePerVersion() throws Exception {
    GetProtocolSignatureResponseProto response = translator.getProtocolSignature(null,
        GetProtocolSignatureRequestProto.newBuilder().setProtocol(TestInfoPB.V4.class.getName())
            .setRpcKind("RPC_PROTOCOL_BUFFER").build());

    List<ProtocolSignatureProto> signatures = response.getProtocolSignatureList();
    assertThat(signatures).extracting(ProtocolSignatureProto::getVersion).containsExactly(3L, 4L);
    assertThat(signatures.get(0).getMethodsList())
        .containsAll(ints(ProtocolSignature.fingerprintsOf(TestInfoPB.class)));
    assertThat(signatures.get(1).getMethodsList())
        .containsAll(ints(ProtocolSignature.fingerprintsOf(TestInfoPB.V4.class)));
    // Both list the two generated methods (the PB interface adds none of its own), each also
    // with Hadoop's shaded RpcController.
    assertThat(signatures.get(0).getMethodsCount()).isEqualTo(4);
  }

  private static int fingerprint(Class<?> type, String methodName) {
    for (java.lang.reflect.Method m : type.getMethods()) {
      if (m.getName().equals(methodName)) {
        return ProtocolSignature.fingerprint(m);
      }
    }
    throw new AssertionError(type + " has no " + methodName);
  }

  @Test
  void hostedPbMethodsAreAlsoSignedWithHadoopsShadedController() throws Exception {
    GetProtocolSignatureResponseProto response = translator.getProtocolSignature(null,
        GetProtocolSignatureRequestProto.newBuilder().setProtocol(TestInfoPB.class.getName())
            .setRpcKind("RPC_PROTOCOL_BUFFER").build());

    // what a Hadoop client computes for the same method over its shaded runtime
    assertThat(response.getProtocolSignature(0).getMethodsList()).contains(
        fingerprint(HadoopFlavouredPB.class, "getProtocolVersions"),
        fingerprint(HadoopFlavouredPB.class, "getProtocolSignature"));
  }

  @Test
  void unhostedClassIsSignedAsLoadedButOnlyForMethodsTheServerServes() throws Exception {
    // A Hadoop client's own PB interface, found here by Class.forName and named by Hadoop's
    // @ProtocolInfo: Hadoop fingerprints it whole; Tusk leaves out what it does not serve.
    GetProtocolSignatureResponseProto response = translator.getProtocolSignature(null,
        GetProtocolSignatureRequestProto.newBuilder()
            .setProtocol(HadoopFlavouredPB.class.getName())
            .setRpcKind("RPC_PROTOCOL_BUFFER").build());

    assertThat(response.getProtocolSignatureList())
        .extracting(ProtocolSignatureProto::getVersion).containsExactly(3L, 4L);
    assertThat(response.getProtocolSignature(0).getMethodsList())
        .contains(fingerprint(HadoopFlavouredPB.class, "getProtocolVersions"))
        .doesNotContain(fingerprint(HadoopFlavouredPB.class, "compact"));
  }

  @Test
  void versionsOfAClassNamedByHadoopsProtocolInfoAreTheHostedOnes() throws Exception {
    GetProtocolVersionsResponseProto response = translator.getProtocolVersions(null,
        GetProtocolVersionsRequestProto.newBuilder()
            .setProtocol(HadoopFlavouredPB.class.getName()).build());

    assertThat(response.getProtocolVersions(2).getVersionsList()).containsExactly(3L, 4L);
  }

  @Test
  void isMethodSupportedAcceptsAServerThatSignsWithTheShadedController() throws Exception {
    int shadedOnly = fingerprint(HadoopFlavouredPB.class, "getProtocolVersions");
    ProtocolMetaInfoPB hadoopLike = new ProtocolMetaInfoPB() {
      @Override
      public GetProtocolVersionsResponseProto getProtocolVersions(
          com.google.protobuf.RpcController controller, GetProtocolVersionsRequestProto request) {
        throw new UnsupportedOperationException();
      }

      @Override
      public GetProtocolSignatureResponseProto getProtocolSignature(
          com.google.protobuf.RpcController controller, GetProtocolSignatureRequestProto request) {
        return GetProtocolSignatureResponseProto.newBuilder().addProtocolSignature(
            ProtocolSignatureProto.newBuilder().setVersion(3).addMethods(shadedOnly)).build();
      }
    };
    ConnectionId remote = ConnectionId.of(new InetSocketAddress("127.0.0.1", 11), TestInfoPB.NAME);

    try (Client client = Client.builder().name("meta-info-test").build()) {
      assertThat(RpcClientUtil.isMethodSupported(client, remote, TestInfoPB.class,
          RpcKind.RPC_PROTOCOL_BUFFER, 3, "getProtocolVersions", hadoopLike)).isTrue();
      assertThat(RpcClientUtil.isMethodSupported(client, remote, TestInfoPB.class,
          RpcKind.RPC_PROTOCOL_BUFFER, 3, "getProtocolSignature", hadoopLike)).isFalse();
    }
  }

  @Test
  void protocolSignatureOfALoadableButUnhostedProtocolIsEmpty() throws Exception {
    GetProtocolSignatureResponseProto response = translator.getProtocolSignature(null,
        GetProtocolSignatureRequestProto.newBuilder().setProtocol(Runnable.class.getName())
            .setRpcKind("RPC_PROTOCOL_BUFFER").build());

    assertThat(response.getProtocolSignatureList()).isEmpty();
  }

  @Test
  void unknownProtocolClassFailsWithClassNotFoundAsHadoopDoes() {
    assertThatThrownBy(() -> translator.getProtocolSignature(null,
        GetProtocolSignatureRequestProto.newBuilder().setProtocol("no.such.Protocol")
            .setRpcKind("RPC_PROTOCOL_BUFFER").build()))
        .isInstanceOf(ServiceException.class)
        .cause().isInstanceOf(ClassNotFoundException.class).hasMessage("no.such.Protocol");
    assertThatThrownBy(() -> translator.getProtocolVersions(null,
        GetProtocolVersionsRequestProto.newBuilder().setProtocol("no.such.Protocol").build()))
        .cause().isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void unknownKindNameFails() {
    assertThatThrownBy(() -> translator.getProtocolSignature(null,
        GetProtocolSignatureRequestProto.newBuilder().setProtocol(TestInfoPB.class.getName())
            .setRpcKind("RPC_SMOKE_SIGNALS").build()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void isMethodSupportedComparesFingerprintsAndCachesTheAnswer() throws Exception {
    InMemoryTransport transport = new InMemoryTransport(protocols, TestInfoPB.NAME);
    ConnectionId remote = ConnectionId.of(new InetSocketAddress("127.0.0.1", 10), TestInfoPB.NAME);
    ProtocolMetaInfoPB metaInfo =
        ProtobufRpcEngine.newProxy(ProtocolMetaInfoPB.class, remote, null, transport);

    try (Client client = Client.builder().name("meta-info-test").build();
        Client other = Client.builder().name("meta-info-test-2").build()) {
      assertThat(RpcClientUtil.isMethodSupported(client, remote, TestInfoPB.class,
          RpcKind.RPC_PROTOCOL_BUFFER, 3, "getProtocolSignature", metaInfo)).isTrue();
      assertThat(RpcClientUtil.isMethodSupported(client, remote, TestInfoPB.class,
          RpcKind.RPC_PROTOCOL_BUFFER, 4, "getProtocolVersions", metaInfo)).isTrue();
      assertThat(RpcClientUtil.isMethodSupported(client, remote, TestInfoPB.class,
          RpcKind.RPC_PROTOCOL_BUFFER, 5, "getProtocolVersions", metaInfo)).isFalse();
      assertThat(RpcClientUtil.isMethodSupported(client, remote, TestInfoPB.class,
          RpcKind.RPC_PROTOCOL_BUFFER, 3, "noSuchMethod", metaInfo)).isFalse();
      assertThat(transport.calls.get()).isEqualTo(1);

      // Another kind is another question.
      assertThat(RpcClientUtil.isMethodSupported(client, remote, TestInfoPB.class,
          RpcKind.RPC_WRITABLE, 7, "getProtocolVersions", metaInfo)).isFalse();
      assertThat(transport.calls.get()).isEqualTo(2);

      // The cache belongs to the client: another client asks for itself...
      assertThat(RpcClientUtil.isMethodSupported(other, remote, TestInfoPB.class,
          RpcKind.RPC_PROTOCOL_BUFFER, 3, "getProtocolSignature", metaInfo)).isTrue();
      assertThat(transport.calls.get()).isEqualTo(3);

      // ...and a closed client has forgotten its answers.
      client.close();
      assertThat(RpcClientUtil.isMethodSupported(client, remote, TestInfoPB.class,
          RpcKind.RPC_PROTOCOL_BUFFER, 3, "getProtocolSignature", metaInfo)).isTrue();
      assertThat(transport.calls.get()).isEqualTo(4);
    }
  }

  @Test
  void isMethodSupportedRejectsAnObjectThatIsNotAnRpcProxy() {
    assertThatThrownBy(() -> RpcClientUtil.isMethodSupported("proxy?", TestInfoPB.class,
        RpcKind.RPC_PROTOCOL_BUFFER, 3, "getProtocolVersions"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an RPC proxy");
  }

  /** Two interfaces declaring the same method, so getMethods() of their child lists it twice. */
  interface PingA {
    long ping(long value);
  }

  interface PingB {
    long ping(long value);

    String zz(String value);
  }

  @ProtocolInfo(protocolName = "tusk.test.Twice", protocolVersion = 1)
  interface Twice extends PingA, PingB {
    int aa(int value);
  }

  private static boolean isSortedAndDistinct(List<Integer> values) {
    for (int i = 1; i < values.size(); i++) {
      if (values.get(i - 1) >= values.get(i)) {
        return false;
      }
    }
    return true;
  }

  @Test
  void signaturesListFingerprintsSortedAndWithoutDuplicates() throws Exception {
    assertThat(Twice.class.getMethods()).as("the JDK lists ping twice").hasSize(4);
    protocols.add(RpcKind.RPC_WRITABLE, "tusk.test.Twice", 1, Twice.class, new Object());

    List<Integer> twice = translator.getProtocolSignature(null,
        GetProtocolSignatureRequestProto.newBuilder().setProtocol(Twice.class.getName())
            .setRpcKind("RPC_WRITABLE").build()).getProtocolSignature(0).getMethodsList();
    assertThat(twice).hasSize(3).containsExactlyInAnyOrderElementsOf(
        java.util.Set.copyOf(ints(ProtocolSignature.fingerprintsOf(Twice.class))));
    assertThat(isSortedAndDistinct(twice)).as("%s", twice).isTrue();

    // A PB protocol's fingerprints with both controllers, hosted and loaded alike.
    for (Class<?> asked : new Class<?>[] {TestInfoPB.class, HadoopFlavouredPB.class}) {
      for (ProtocolSignatureProto signature : translator.getProtocolSignature(null,
          GetProtocolSignatureRequestProto.newBuilder().setProtocol(asked.getName())
              .setRpcKind("RPC_PROTOCOL_BUFFER").build()).getProtocolSignatureList()) {
        assertThat(isSortedAndDistinct(signature.getMethodsList()))
            .as("%s v%d: %s", asked, signature.getVersion(), signature.getMethodsList()).isTrue();
      }
    }
  }

  @Test
  void aLoadedButUnhostedClassIsSignedExactlyAsHadoopSignsIt() throws Exception {
    // Only its own fingerprints (Hadoop's shaded controller), not the protobuf-java twins; the
    // method the server does not serve (compact) is left out.
    GetProtocolSignatureResponseProto response = translator.getProtocolSignature(null,
        GetProtocolSignatureRequestProto.newBuilder()
            .setProtocol(HadoopFlavouredPB.class.getName())
            .setRpcKind("RPC_PROTOCOL_BUFFER").build());

    assertThat(response.getProtocolSignature(0).getMethodsList()).containsExactlyInAnyOrder(
        fingerprint(HadoopFlavouredPB.class, "getProtocolVersions"),
        fingerprint(HadoopFlavouredPB.class, "getProtocolSignature"));
  }

  @Test
  void aClassTheServerCannotLoadFallsBackToTheHostedProtocolOfThatWireName() throws Exception {
    // Hadoop fails with ClassNotFoundException here; Tusk answers for the hosted protocol.
    GetProtocolSignatureResponseProto byWireName = translator.getProtocolSignature(null,
        GetProtocolSignatureRequestProto.newBuilder().setProtocol(TestInfoPB.NAME)
            .setRpcKind("RPC_PROTOCOL_BUFFER").build());
    GetProtocolSignatureResponseProto byClass = translator.getProtocolSignature(null,
        GetProtocolSignatureRequestProto.newBuilder().setProtocol(TestInfoPB.class.getName())
            .setRpcKind("RPC_PROTOCOL_BUFFER").build());

    assertThat(byWireName.getProtocolSignatureList())
        .extracting(ProtocolSignatureProto::getVersion).containsExactly(3L, 4L);
    assertThat(byWireName).isEqualTo(byClass);
    assertThat(translator.getProtocolVersions(null, GetProtocolVersionsRequestProto.newBuilder()
        .setProtocol(TestInfoPB.NAME).build()).getProtocolVersions(1).getVersionsList())
        .as("the Writable flavour of the same name").containsExactly(7L);
  }
}
