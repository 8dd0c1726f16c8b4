package io.tusk.rpc.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.RpcController;
import io.tusk.rpc.ProtocolSignature;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsRequestProto;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/** Fingerprints of PB methods under both protobuf runtimes' RpcController. */
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
  void fingerprintOverNamesIsTheCoreFingerprint() throws Exception {
    Method tusk = method(TestInfoPB.class, "getProtocolVersions", RpcController.class);

    assertThat(MethodFingerprints.fingerprint(tusk.getName(), tusk.getReturnType().getName(),
        new String[] {RpcController.class.getName(), GetProtocolVersionsRequestProto.class
            .getName()})).isEqualTo(ProtocolSignature.fingerprint(tusk));
  }
}
