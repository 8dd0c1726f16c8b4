package io.tusk.rpc.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.WireName;
import java.lang.reflect.Method;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The one implementation of Hadoop's method fingerprints and the class names they hash, checked
 * against the formula of Hadoop 3.4.2's {@code ProtocolSignature.getFingerprint} written out by
 * hand (interop-hadoop checks them against Hadoop's own code).
 */
@Timeout(10)
class FingerprintsTest {

  @WireName("org.apache.hadoop.io.Text")
  static final class StandIn {}

  interface Shapes {
    long area(int width, String[] names);

    StandIn[][] grid(StandIn one, long[][] sizes);

    void reset();
  }

  private static int hadoop(String name, String returnType, String... parameterTypes) {
    int hash = name.hashCode() + 31 * returnType.hashCode();
    for (String type : parameterTypes) {
      hash = (31 * hash) ^ type.hashCode();
    }
    return hash;
  }

  @Test
  void methodFingerprintIsHadoopsFormulaOverWireNames() throws NoSuchMethodException {
    Method area = Shapes.class.getMethod("area", int.class, String[].class);
    Method grid = Shapes.class.getMethod("grid", StandIn.class, long[][].class);

    assertThat(Fingerprints.of(area, WireNames::of))
        .isEqualTo(hadoop("area", "long", "int", "[Ljava.lang.String;"));
    assertThat(Fingerprints.of(grid, WireNames::of)).isEqualTo(hadoop("grid",
        "[[Lorg.apache.hadoop.io.Text;", "org.apache.hadoop.io.Text", "[[J"));
    assertThat(Fingerprints.of(Shapes.class.getMethod("reset"), WireNames::of))
        .isEqualTo(hadoop("reset", "void"));
  }

  @Test
  void theCallersNameFunctionNamesEveryType() throws NoSuchMethodException {
    Method area = Shapes.class.getMethod("area", int.class, String[].class);
    Function<Class<?>, String> renamed = type -> type == int.class ? "I" : WireNames.of(type);

    assertThat(Fingerprints.of(area, renamed))
        .isEqualTo(hadoop("area", "long", "I", "[Ljava.lang.String;"))
        .isNotEqualTo(Fingerprints.of(area, WireNames::of));
  }

  @Test
  void setHashIsArraysHashCodeOfTheSortedFingerprintsAndLeavesItsInputAlone() {
    int[] fingerprints = {3, -7, 1};

    assertThat(Fingerprints.ofSet(fingerprints))
        .isEqualTo(java.util.Arrays.hashCode(new int[] {-7, 1, 3}))
        .isEqualTo(Fingerprints.ofSet(new int[] {1, 3, -7}));
    assertThat(fingerprints).containsExactly(3, -7, 1);
  }

  @Test
  void setOfMethodsHashesTheirFingerprintsInAnyOrder() {
    Method[] methods = Shapes.class.getMethods();
    Method[] reversed = new Method[methods.length];
    for (int i = 0; i < methods.length; i++) {
      reversed[i] = methods[methods.length - 1 - i];
    }

    assertThat(Fingerprints.ofSet(methods, WireNames::of))
        .isEqualTo(Fingerprints.ofSet(Fingerprints.of(methods, WireNames::of)))
        .isEqualTo(Fingerprints.ofSet(reversed, WireNames::of));
  }

  @Test
  void wireNamesUseTheAnnotationAndHadoopsArrayForm() {
    assertThat(WireNames.of(StandIn.class)).isEqualTo("org.apache.hadoop.io.Text");
    assertThat(WireNames.of(StandIn[][].class)).isEqualTo("[[Lorg.apache.hadoop.io.Text;");
    assertThat(WireNames.of(String.class)).isEqualTo("java.lang.String");
    assertThat(WireNames.of(int.class)).isEqualTo("int");
    assertThat(WireNames.of(void.class)).isEqualTo("void");
    assertThat(WireNames.of(byte[][].class)).isEqualTo("[[B");
  }

  @Test
  void wireNamesWithACallersClassNamesKeepTheArrayRule() {
    Function<Class<?>, String> aliases = type -> type == String.class ? "S" : type.getName();

    assertThat(WireNames.of(String[][].class, aliases)).isEqualTo("[[LS;");
    assertThat(WireNames.of(String.class, aliases)).isEqualTo("S");
    assertThat(WireNames.of(StandIn.class, aliases)).isEqualTo(StandIn.class.getName());
    assertThat(WireNames.of(long.class, aliases)).isEqualTo("long");
    assertThat(WireNames.of(long[].class, aliases)).isEqualTo("[J");
  }
}
