package io.tusk.rpc.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Hadoop class names derived from {@code @WireName} spell exactly what Hadoop 3.4.2 sends
 * (written out here once more on purpose: a typo in an annotation must fail a test).
 */
@Timeout(10)
class HadoopNamesTest {

  @Test
  void derivedNamesAreHadoopsClassNames() {
    assertThat(HadoopNames.RPC_SERVER_EXCEPTION).isEqualTo("org.apache.hadoop.ipc.RpcServerException");
    assertThat(HadoopNames.VERSION_MISMATCH).isEqualTo("org.apache.hadoop.ipc.RPC$VersionMismatch");
    assertThat(HadoopNames.RPC_NO_SUCH_METHOD_EXCEPTION)
        .isEqualTo("org.apache.hadoop.ipc.RpcNoSuchMethodException");
    assertThat(HadoopNames.RPC_NO_SUCH_PROTOCOL_EXCEPTION)
        .isEqualTo("org.apache.hadoop.ipc.RpcNoSuchProtocolException");
    assertThat(HadoopNames.RETRIABLE_EXCEPTION).isEqualTo("org.apache.hadoop.ipc.RetriableException");
    assertThat(HadoopNames.VERSIONED_PROTOCOL).isEqualTo("org.apache.hadoop.ipc.VersionedProtocol");
    assertThat(HadoopNames.PROTOCOL_SIGNATURE).isEqualTo("org.apache.hadoop.ipc.ProtocolSignature");
  }

  @Test
  @SuppressWarnings("deprecation")
  void deprecatedRpcConstantsNamesAreTheSameStrings() {
    assertThat(RpcConstants.VERSION_MISMATCH_CLASS).isSameAs(HadoopNames.VERSION_MISMATCH);
    assertThat(RpcConstants.RPC_SERVER_EXCEPTION_CLASS).isSameAs(HadoopNames.RPC_SERVER_EXCEPTION);
    assertThat(RpcConstants.ACCESS_CONTROL_EXCEPTION_CLASS)
        .isSameAs(HadoopNames.ACCESS_CONTROL_EXCEPTION);
    assertThat(RpcConstants.IPC_EXCEPTION_CLASS).isSameAs(HadoopNames.IPC_EXCEPTION);
  }

  @Test
  void magicIsACopyThatCallersCannotChange() {
    byte[] magic = RpcConstants.magic();
    assertThat(new String(magic, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("hrpc");
    magic[0] = 'X';
    assertThat(RpcConstants.magic()[0]).isEqualTo((byte) 'h');
  }

  @Test
  void rpcConstantsHasNoPublicMutableField() {
    for (Field field : RpcConstants.class.getFields()) {
      assertThat(Modifier.isFinal(field.getModifiers())).as(field.getName()).isTrue();
      assertThat(field.getType().isArray()).as(field.getName()).isFalse();
    }
  }
}
