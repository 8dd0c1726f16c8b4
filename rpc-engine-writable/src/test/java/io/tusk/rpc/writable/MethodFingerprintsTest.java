package io.tusk.rpc.writable;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MethodFingerprintsTest {

  interface Echo {
    String echo(String s);
  }

  interface Shapes {
    int[] sizes(long a, byte[] b, String[][] c);

    void reset();
  }

  @Test
  void methodFingerprintMatchesHadoopForEchoString() throws NoSuchMethodException {
    // ProtocolSignature.getFingerprint(Method) of "String echo(String)" in Hadoop 3.4.2.
    assertThat(MethodFingerprints.getFingerprint(Echo.class.getMethod("echo", String.class)))
        .isEqualTo(829832645);
  }

  @Test
  void methodFingerprintFollowsHadoopsFormula() throws NoSuchMethodException {
    Method sizes = Shapes.class.getMethod("sizes", long.class, byte[].class, String[][].class);
    int expected = "sizes".hashCode() + 31 * "[I".hashCode();
    expected = (31 * expected) ^ "long".hashCode();
    expected = (31 * expected) ^ "[B".hashCode();
    expected = (31 * expected) ^ "[[Ljava.lang.String;".hashCode();
    assertThat(MethodFingerprints.getFingerprint(sizes)).isEqualTo(expected);
    assertThat(MethodFingerprints.getFingerprint(Shapes.class.getMethod("reset")))
        .isEqualTo("reset".hashCode() + 31 * "void".hashCode());
  }

  @Test
  void protocolFingerprintIsSortedArraysHashCode() {
    Method[] methods = Shapes.class.getMethods();
    int[] each = MethodFingerprints.getFingerprints(methods);
    int[] sorted = each.clone();
    Arrays.sort(sorted);
    assertThat(MethodFingerprints.getProtocolFingerprint(Shapes.class))
        .isEqualTo(Arrays.hashCode(sorted));
  }

  @Test
  void protocolFingerprintDoesNotDependOnOrderNorModifyItsInput() {
    int[] hashes = {3, 1, 2};
    assertThat(MethodFingerprints.getFingerprint(hashes))
        .isEqualTo(MethodFingerprints.getFingerprint(new int[] {2, 3, 1}))
        .isEqualTo(Arrays.hashCode(new int[] {1, 2, 3}));
    assertThat(hashes).containsExactly(3, 1, 2);
  }

  @Test
  void tuskTextHashesAsHadoopTextSoProtocolsFingerprintAlike() {
    // Hadoop 3.4.2 computes 0xeedb332e for this interface declared with org.apache.hadoop.io.Text.
    assertThat(MethodFingerprints.getProtocolFingerprint(InvocationTest.EchoProtocol.class))
        .isEqualTo(0xeedb332e);
  }

  @Test
  void aliasesFromACustomResolverAreUsed() throws NoSuchMethodException {
    Method echo = Echo.class.getMethod("echo", String.class);
    WireClassResolver renamed = WireClassResolver.defaultResolver().withAlias("S", String.class);
    assertThat(MethodFingerprints.getFingerprint(echo, renamed))
        .isEqualTo(("echo".hashCode() + 31 * "S".hashCode()) * 31 ^ "S".hashCode());
  }
}
