package io.tusk.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ProtocolSignatureTest {
  interface Sample {
    String echo(String s);

    long add(int a, long b);
  }

  @Test
  void fingerprintFollowsHadoopsFormula() throws NoSuchMethodException {
    Method add = Sample.class.getMethod("add", int.class, long.class);
    int expected = "add".hashCode() + 31 * "long".hashCode();
    expected = 31 * expected ^ "int".hashCode();
    expected = 31 * expected ^ "long".hashCode();

    assertThat(ProtocolSignature.fingerprint(add)).isEqualTo(expected);
  }

  @Test
  void setFingerprintIgnoresOrder() {
    assertThat(ProtocolSignature.fingerprint(new int[] {3, 1, 2}))
        .isEqualTo(ProtocolSignature.fingerprint(new int[] {1, 2, 3}));
  }

  @Test
  void writableLayoutRoundTrips() throws IOException {
    ProtocolSignature sig = ProtocolSignature.of(Sample.class, 3);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    sig.write(new DataOutputStream(bytes));

    assertThat(bytes.size()).isEqualTo(8 + 1 + 4 + 4 * 2);
    assertThat(ProtocolSignature.read(new DataInputStream(
        new ByteArrayInputStream(bytes.toByteArray())))).isEqualTo(sig);
  }

  @Test
  void nullMethodsTravelAsFalse() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new ProtocolSignature(5, null).write(new DataOutputStream(bytes));

    assertThat(bytes.toByteArray()).containsExactly(0, 0, 0, 0, 0, 0, 0, 5, 0);
  }

  @Test
  void implausibleCountIsRejected() {
    byte[] bytes = {0, 0, 0, 0, 0, 0, 0, 1, 1, 0x7f, 0, 0, 0};

    assertThatThrownBy(() -> ProtocolSignature.read(new DataInputStream(
        new ByteArrayInputStream(bytes)))).hasMessageContaining("implausible method count");
  }
}
