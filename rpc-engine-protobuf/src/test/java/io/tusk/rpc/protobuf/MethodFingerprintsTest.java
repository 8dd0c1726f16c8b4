package io.tusk.rpc.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.RpcController;
import io.tusk.rpc.ProtocolSignature;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsRequestProto;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Fingerprints of PB methods under both protobuf runtimes' RpcController. */
@Timeout(10)
class MethodFingerprintsTest {
  private static Method method(Class<?> type, String name, Class<?> controller)
      throws NoSuchMethodException {
    return type.getMethod(name, controller, GetProtocolVersionsRequestProto.class);
  }

  @Test
  void methodWithoutControllerHasOnlyItsOwnFingerprint() throws NoSuchMethodException {
    Method toString = Object.class.getMethod("toString");

    assertThat(MethodFingerprints.of(toString))
        .containsExactly(ProtocolSignature.fingerprint(toString));
  }

  @Test
  void tuskPbMethodAlsoHasTheFingerprintHadoopComputesForItsShadedTwin() throws Exception {
    Method tusk = method(TestInfoPB.class, "getProtocolVersions", RpcController.class);
    Method hadoop = method(HadoopFlavouredPB.class, "getProtocolVersions",
        org.apache.hadoop.thirdparty.protobuf.RpcController.class);

    assertThat(ProtocolSignature.fingerprint(tusk))
        .isNotEqualTo(ProtocolSignature.fingerprint(hadoop));
    assertThat(MethodFingerprints.of(tusk)).containsExactly(
        ProtocolSignature.fingerprint(tusk), ProtocolSignature.fingerprint(hadoop));
    assertThat(MethodFingerprints.of(hadoop)).containsExactly(
        ProtocolSignature.fingerprint(hadoop), ProtocolSignature.fingerprint(tusk));
  }

  @Test
  void swappedNamesRenameOnlyTheController() {
    assertThat(MethodFingerprints.swappingController(RpcController.class))
        .isEqualTo("org.apache.hadoop.thirdparty.protobuf.RpcController");
    assertThat(MethodFingerprints.swappingController(
        org.apache.hadoop.thirdparty.protobuf.RpcController.class))
        .isEqualTo("com.google.protobuf.RpcController");
    assertThat(MethodFingerprints.swappingController(GetProtocolVersionsRequestProto.class))
        .isEqualTo(GetProtocolVersionsRequestProto.class.getName());
  }
}
