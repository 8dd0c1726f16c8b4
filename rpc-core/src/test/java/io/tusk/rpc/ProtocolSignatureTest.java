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

  /** A Tusk stand-in for a Hadoop class. */
  @WireName("org.apache.hadoop.io.Text")
  static final class StandIn {}

  interface UsesStandIns {
    StandIn[] wrap(StandIn one, int[] counts) throws IOException;
  }

  @Test
  void fingerprintNamesClassesByTheirWireNameAsHadoopSeesThem() throws NoSuchMethodException {
    Method wrap = UsesStandIns.class.getMethod("wrap", StandIn.class, int[].class);
    int expected = "wrap".hashCode() + 31 * "[Lorg.apache.hadoop.io.Text;".hashCode();
    expected = 31 * expected ^ "org.apache.hadoop.io.Text".hashCode();
    expected = 31 * expected ^ "[I".hashCode();

    assertThat(ProtocolSignature.fingerprint(wrap)).isEqualTo(expected);
    assertThat(ProtocolSignature.wireName(StandIn[][].class))
        .isEqualTo("[[Lorg.apache.hadoop.io.Text;");
    assertThat(ProtocolSignature.wireName(long[][].class)).isEqualTo("[[J");
  }

  @Test
  void versionedProtocolMethodsFingerprintWithHadoopsClassNames() throws NoSuchMethodException {
    // Hadoop's VersionedProtocol.getProtocolSignature returns org.apache.hadoop.ipc.ProtocolSignature
    Method m = VersionedProtocol.class.getMethod("getProtocolSignature", String.class,
        long.class, int.class);
    int expected = "getProtocolSignature".hashCode()
        + 31 * "org.apache.hadoop.ipc.ProtocolSignature".hashCode();
    expected = 31 * expected ^ "java.lang.String".hashCode();
    expected = 31 * expected ^ "long".hashCode();
    expected = 31 * expected ^ "int".hashCode();

    assertThat(ProtocolSignature.fingerprint(m)).isEqualTo(expected);
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
