package io.tusk.rpc.writable;

import static io.tusk.rpc.writable.Bytes.in;
import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.writable.Fixtures.Color;
import io.tusk.rpc.writable.Fixtures.Op;
import io.tusk.rpc.writable.Fixtures.Point;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ObjectWritableRoundTripTest {

  private static final WireClassResolver NAMES = WireClassResolver.defaultResolver();

  private static ObjectWritable roundTrip(Object value, Class<?> declared, boolean compact)
      throws IOException {
    byte[] bytes = Bytes.of(out -> ObjectWritable.writeObject(out, value, declared, compact, NAMES));
    var input = in(bytes);
    ObjectWritable read = ObjectWritable.read(input, NAMES);
    assertThat(input.available()).as("bytes left after reading").isZero();
    return read;
  }

  static Stream<Arguments> scalars() {
    return Stream.of(
        Arguments.of(boolean.class, true), Arguments.of(boolean.class, false),
        Arguments.of(byte.class, Byte.MIN_VALUE), Arguments.of(byte.class, Byte.MAX_VALUE),
        Arguments.of(char.class, Character.MIN_VALUE), Arguments.of(char.class, Character.MAX_VALUE),
        Arguments.of(char.class, '\uD83D'),
        Arguments.of(short.class, Short.MIN_VALUE), Arguments.of(short.class, Short.MAX_VALUE),
        Arguments.of(int.class, Integer.MIN_VALUE), Arguments.of(int.class, Integer.MAX_VALUE),
        Arguments.of(int.class, 0),
        Arguments.of(long.class, Long.MIN_VALUE), Arguments.of(long.class, Long.MAX_VALUE),
        Arguments.of(float.class, Float.NaN), Arguments.of(float.class, -0.0f),
        Arguments.of(float.class, Float.MIN_VALUE), Arguments.of(float.class, Float.NEGATIVE_INFINITY),
        Arguments.of(double.class, Double.NaN), Arguments.of(double.class, Double.MAX_VALUE),
        Arguments.of(double.class, -0.0d), Arguments.of(double.class, Double.POSITIVE_INFINITY),
        Arguments.of(String.class, ""), Arguments.of(String.class, "plain"),
        Arguments.of(String.class, "h\u00e9llo \u20ac \u4e2d"),
        Arguments.of(String.class, "\uD83D\uDE00 and \uD834\uDD1E"),
        Arguments.of(String.class, "nul\0inside\0"),
        Arguments.of(Color.class, Color.GREEN),
        Arguments.of(Op.class, Op.SUB),
        Arguments.of(Text.class, new Text("text \uD83D\uDE00")),
        Arguments.of(Writable.class, new Text("as writable")),
        Arguments.of(Point.class, new Point(-1, Integer.MAX_VALUE)),
        Arguments.of(Writable.class, new Point(3, 4)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("scalars")
  void roundTripsScalars(Class<?> declared, Object value) throws IOException {
    for (boolean compact : new boolean[] {false, true}) {
      ObjectWritable read = roundTrip(value, declared, compact);
      assertThat(read.get()).isEqualTo(value);
      assertThat(read.getDeclaredClass()).isEqualTo(declared);
    }
  }

  @Test
  void roundTripsVoidAsNull() throws IOException {
    ObjectWritable read = roundTrip(null, void.class, false);
    assertThat(read.get()).isNull();
    assertThat(read.getDeclaredClass()).isEqualTo(void.class);
  }

  @ParameterizedTest
  @MethodSource("nullableDeclaredClasses")
  void roundTripsNullWithItsDeclaredClass(Class<?> declared) throws IOException {
    for (boolean compact : new boolean[] {false, true}) {
      ObjectWritable read = roundTrip(null, declared, compact);
      assertThat(read.get()).isNull();
      assertThat(read.getDeclaredClass()).isEqualTo(declared);
    }
  }

  static Stream<Class<?>> nullableDeclaredClasses() {
    return Stream.of(String.class, Text.class, Writable.class, Point.class, Color.class,
        byte[].class, String[].class, Writable[][].class, Integer.class, int.class);
  }

  @Test
  void boxesAreWrittenAsTheirPrimitives() throws IOException {
    ObjectWritable read = roundTrip(42, Integer.class, false);
    assertThat(read.get()).isEqualTo(42);
    assertThat(read.getDeclaredClass()).isEqualTo(int.class);
    assertThat(roundTrip('c', Character.class, false).get()).isEqualTo('c');
    assertThat(roundTrip(2.5d, Double.class, false).get()).isEqualTo(2.5d);
  }

  @Test
  void convenienceConstructorDeclaresTheValuesOwnClass() throws IOException {
    ObjectWritable written = new ObjectWritable(Op.ADD);
    assertThat(written.getDeclaredClass()).isEqualTo(Op.class);
    ObjectWritable read = new ObjectWritable();
    read.readFields(in(Bytes.of(written::write)));
    assertThat(read.get()).isSameAs(Op.ADD);
    assertThat(read.toString()).isEqualTo("OW[class=" + Op.class + ",value=ADD]");
  }

  @Test
  void roundTripsPrimitiveArraysInBothLayouts() throws IOException {
    Object[] arrays = {
        new boolean[] {true, false}, new byte[] {Byte.MIN_VALUE, 0, Byte.MAX_VALUE},
        new char[] {'a', '\uffff'}, new short[] {Short.MIN_VALUE, Short.MAX_VALUE},
        new int[] {Integer.MIN_VALUE, -1, Integer.MAX_VALUE}, new long[] {Long.MIN_VALUE, Long.MAX_VALUE},
        new float[] {Float.NaN, -0.0f}, new double[] {Double.MIN_VALUE, Double.NaN},
        new byte[0], new int[0], new double[0]};
    for (Object array : arrays) {
      for (boolean compact : new boolean[] {false, true}) {
        ObjectWritable read = roundTrip(array, array.getClass(), compact);
        assertThat(read.get()).isInstanceOf(array.getClass()).isEqualTo(array);
        assertThat(read.getDeclaredClass()).isEqualTo(array.getClass());
      }
    }
  }

  @Test
  void compactLayoutIsMuchSmallerForBigByteArrays() throws IOException {
    byte[] big = new byte[100_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) i;
    }
    byte[] elementByElement = Bytes.of(out -> ObjectWritable.writeObject(out, big, byte[].class));
    byte[] compact = Bytes.of(out -> ObjectWritable.writeObject(out, big, byte[].class, true, NAMES));
    // "[B" name + length + 7 bytes per element (UTF8 "byte" + the byte) vs. raw bytes
    assertThat(elementByElement).hasSize(4 + 4 + 7 * big.length);
    assertThat(compact).hasSize(2 + 52 + 6 + 4 + big.length);
    assertThat(ObjectWritable.read(in(elementByElement), NAMES).get()).isEqualTo(big);
    assertThat(ObjectWritable.read(in(compact), NAMES).get()).isEqualTo(big);
  }

  @Test
  void roundTripsObjectArrays() throws IOException {
    Object[][] cases = {
        {String[].class, new String[] {"a", null, "\uD83D\uDE00", ""}},
        {String[].class, new String[0]},
        {Color[].class, new Color[] {Color.BLUE, null, Color.RED}},
        {Op[].class, new Op[] {Op.SUB, Op.ADD}},
        {Text[].class, new Text[] {new Text("x"), null}},
        {Writable[].class, new Writable[] {new Text("t"), new Point(1, 2), null}},
        {Writable[].class, new Writable[0]},
        {Writable[][].class, new Writable[][] {{new Point(5, 6)}, null, {}, {null, new Text("z")}}},
        {int[][].class, new int[][] {{1, 2}, null, {}}},
        {String[][].class, new String[][] {{"a"}, {}}},
        {Integer[].class, new Integer[] {1, null, -1}},
        {Byte[].class, new Byte[] {(byte) 7, null}}};
    for (Object[] c : cases) {
      for (boolean compact : new boolean[] {false, true}) {
        ObjectWritable read = roundTrip(c[1], (Class<?>) c[0], compact);
        assertThat(read.get()).isInstanceOf((Class<?>) c[0]);
        assertThat(java.util.Arrays.deepEquals((Object[]) read.get(), (Object[]) c[1])).as("%s", c[0]).isTrue();
        assertThat(read.getDeclaredClass()).isEqualTo(c[0]);
      }
    }
  }

  @Test
  void subclassArrayDeclaredAsSuperclassArrayKeepsTheDeclaredType() throws IOException {
    ObjectWritable read = roundTrip(new Text[] {new Text("a")}, Writable[].class, false);
    assertThat(read.get()).isExactlyInstanceOf(Writable[].class);
    assertThat((Object[]) read.get()).containsExactly(new Text("a"));
  }

  @Test
  void roundTripsNestedObjectWritable() throws IOException {
    ObjectWritable inner = new ObjectWritable(String[].class, new String[] {"deep"});
    ObjectWritable read = roundTrip(inner, ObjectWritable.class, false);
    ObjectWritable innerRead = (ObjectWritable) read.get();
    assertThat(innerRead.getDeclaredClass()).isEqualTo(String[].class);
    assertThat((String[]) innerRead.get()).containsExactly("deep");
  }

  @Test
  void readsWithAResolverForAnotherClassLoader() throws IOException {
    WireClassResolver resolver = WireClassResolver.forClassLoader(getClass().getClassLoader());
    byte[] bytes = Bytes.of(new ObjectWritable(Point.class, new Point(8, 9))::write);
    ObjectWritable read = new ObjectWritable(resolver);
    read.readFields(in(bytes));
    assertThat(read.get()).isEqualTo(new Point(8, 9));
  }
}
