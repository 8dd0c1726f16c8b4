package io.tusk.rpc.writable;

import static io.tusk.rpc.writable.Bytes.in;
import static io.tusk.rpc.writable.Bytes.utf8Hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.rpc.writable.Fixtures.Exploding;
import io.tusk.rpc.writable.Fixtures.NoDefaultConstructor;
import io.tusk.rpc.writable.Fixtures.Point;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ObjectWritableErrorsTest {

  private static final WireClassResolver NAMES = WireClassResolver.defaultResolver();

  private static byte[] write(Object value, Class<?> declared) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    ObjectWritable.writeObject(new java.io.DataOutputStream(bytes), value, declared, true, NAMES);
    return bytes.toByteArray();
  }

  private static ObjectWritable read(String hex) throws IOException {
    return ObjectWritable.read(in(Bytes.fromHex(hex)), NAMES);
  }

  @Test
  void unsupportedTypeNamesTheType() {
    assertThatThrownBy(() -> write(new ArrayList<>(List.of(1)), List.class))
        .isInstanceOf(UnsupportedTypeException.class)
        .hasMessageContaining("java.util.List")
        .satisfies(e -> assertThat(((UnsupportedTypeException) e).getType()).isEqualTo(List.class));
    assertThatThrownBy(() -> write(new Object(), Object.class))
        .isInstanceOf(UnsupportedTypeException.class).hasMessageContaining("java.lang.Object");
    assertThatThrownBy(() -> write(java.time.Instant.EPOCH, java.time.Instant.class))
        .isInstanceOf(UnsupportedTypeException.class).hasMessageContaining("java.time.Instant");
  }

  @Test
  void unsupportedTypeWritesNothing() {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    assertThatThrownBy(() -> ObjectWritable.writeObject(
        new java.io.DataOutputStream(bytes), List.of(), List.class, false, NAMES))
        .isInstanceOf(UnsupportedTypeException.class);
    assertThat(bytes.size()).isZero();
  }

  @Test
  void objectArrayOfStringsIsUnsupportedAsInHadoop() {
    // Each element would be declared as the component type Object, which the encoding cannot
    // carry; the array is refused as a whole, before its first element.
    assertThatThrownBy(() -> write(new Object[] {"s"}, Object[].class))
        .isInstanceOf(UnsupportedTypeException.class)
        .hasMessageContaining("java.lang.Object").hasMessageContaining("component type");
  }

  @Test
  void arraysNoReaderAcceptsAreNotWrittenEvenEmptyOrAllNull() throws IOException {
    // Hadoop writes these; Tusk's reader refuses them (no element could ever be in them)
    for (Object array : new Object[] {new Object[0], new Object[] {null}, new Runnable[0],
        new Object[][] {{}}, new Number[] {null}}) {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      assertThatThrownBy(() -> ObjectWritable.writeObject(new java.io.DataOutputStream(bytes),
          array, array.getClass(), false, NAMES))
          .as(array.getClass().getName()).isInstanceOf(UnsupportedTypeException.class)
          .hasMessageContaining("component type");
      assertThat(bytes.size()).isZero();
    }
    // a null OF such a class is just a class name, and still travels
    assertThat(ObjectWritable.read(in(write(null, Object[].class)), NAMES).getDeclaredClass())
        .isEqualTo(Object[].class);
  }

  @Test
  void arraysOfMoreDimensionsThanTheReaderAcceptsAreNotWritten() {
    int[] ones = new int[ObjectWritable.MAX_NESTING + 1];
    java.util.Arrays.fill(ones, 1);
    Object deep = java.lang.reflect.Array.newInstance(String.class, ones);
    assertThatThrownBy(() -> write(deep, deep.getClass()))
        .isInstanceOf(UnsupportedTypeException.class).hasMessageContaining("33 dimensions");
  }

  @Test
  void valueThatDoesNotMatchItsDeclaredClassIsRejected() {
    assertThatThrownBy(() -> write(5L, int.class))
        .isInstanceOf(UnsupportedTypeException.class)
        .hasMessageContaining("java.lang.Long").hasMessageContaining("int");
    assertThatThrownBy(() -> write(new Text("x"), Point.class))
        .isInstanceOf(UnsupportedTypeException.class).hasMessageContaining("Text");
    assertThatThrownBy(() -> write("not an array", String[].class))
        .isInstanceOf(UnsupportedTypeException.class).hasMessageContaining("java.lang.String");
  }

  @Test
  void writableWithoutNoArgConstructorIsRejected() {
    assertThatThrownBy(() -> write(new NoDefaultConstructor(1), Writable.class))
        .isInstanceOf(UnsupportedTypeException.class)
        .hasMessageContaining(NoDefaultConstructor.class.getName())
        .hasMessageContaining("no-argument constructor");
  }

  @Test
  void nullNeedsADeclaredClass() {
    assertThatThrownBy(() -> write(null, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new ObjectWritable((Object) null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void unknownClassOnTheWireIsNamed() {
    assertThatThrownBy(() -> read(utf8Hex("com.example.Missing") + "00"))
        .isInstanceOf(IOException.class).hasMessageContaining("com.example.Missing")
        .hasCauseInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(() -> read(utf8Hex("org.apache.hadoop.io.IntWritable")))
        .isInstanceOf(IOException.class).hasMessageContaining("org.apache.hadoop.io.IntWritable");
  }

  @Test
  void unknownEnumConstantIsNamed() {
    assertThatThrownBy(() -> read(utf8Hex("java.util.concurrent.TimeUnit") + utf8Hex("FORTNIGHTS")))
        .isInstanceOf(IOException.class).hasMessageContaining("FORTNIGHTS")
        .hasMessageContaining("java.util.concurrent.TimeUnit");
  }

  @Test
  void refusesToInstantiateClassesThatAreNotWritablesOfTheDeclaredClass() {
    // A peer naming java.lang.Thread as the actual class of a Writable must not get one created.
    assertThatThrownBy(() -> read(utf8Hex("org.apache.hadoop.io.Writable") + utf8Hex("java.lang.Thread")))
        .isInstanceOf(IOException.class).hasMessageContaining("java.lang.Thread");
    assertThatThrownBy(() -> read(utf8Hex(Point.class.getName()) + utf8Hex("org.apache.hadoop.io.Text") + "00"))
        .isInstanceOf(IOException.class).hasMessageContaining("declared as " + Point.class.getName());
    assertThatThrownBy(() -> read(utf8Hex("java.lang.Integer") + utf8Hex("org.apache.hadoop.io.Text") + "00"))
        .isInstanceOf(IOException.class).hasMessageContaining("java.lang.Integer");
  }

  @Test
  void writableThatCannotBeCreatedOrReadFailsWithIoException() {
    assertThatThrownBy(() -> read(utf8Hex("org.apache.hadoop.io.Writable")
        + utf8Hex(NoDefaultConstructor.class.getName())))
        .isInstanceOf(IOException.class).hasMessageContaining(NoDefaultConstructor.class.getName());
    assertThatThrownBy(() -> read(utf8Hex("org.apache.hadoop.io.Writable")
        + utf8Hex(Exploding.class.getName())))
        .isInstanceOf(IOException.class).hasMessageContaining("boom");
  }

  @Test
  void negativeArrayLengthIsRejected() {
    assertThatThrownBy(() -> read(utf8Hex("[Ljava.lang.String;") + "ffffffff"))
        .isInstanceOf(IOException.class).hasMessageContaining("negative");
    assertThatThrownBy(() -> read(utf8Hex("org.apache.hadoop.io.ArrayPrimitiveWritable$Internal")
        + utf8Hex("int") + "80000000"))
        .isInstanceOf(IOException.class).hasMessageContaining("negative");
  }

  @Test
  void compactArrayOfANonPrimitiveTypeIsRejected() {
    assertThatThrownBy(() -> read(utf8Hex("org.apache.hadoop.io.ArrayPrimitiveWritable$Internal")
        + utf8Hex("java.lang.String") + "00000000"))
        .isInstanceOf(IOException.class).hasMessageContaining("java.lang.String");
  }

  @Test
  void hugeAnnouncedArrayLengthFailsByEofNotByAllocatingIt() {
    assertThatThrownBy(() -> read(utf8Hex("org.apache.hadoop.io.ArrayPrimitiveWritable$Internal")
        + utf8Hex("long") + "7fffffff" + "0000000000000001"))
        .isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> read(utf8Hex("[Ljava.lang.String;") + "7fffffff"
        + utf8Hex("java.lang.String") + utf8Hex("a")))
        .isInstanceOf(EOFException.class);
  }

  @Test
  void elementOfTheWrongTypeForTheArrayIsRejected() {
    // A String[] whose element claims to be an int.
    assertThatThrownBy(() -> read(utf8Hex("[Ljava.lang.String;") + "00000001" + utf8Hex("int") + "00000001"))
        .isInstanceOf(IOException.class).hasMessageContaining("element 0 of class int")
        .hasMessageContaining("java.lang.String");
  }

  @Test
  void everyTruncationOfAValidEncodingFailsWithEof() throws IOException {
    Object[] values = {
        new Writable[] {new Text("t\u00e9xt"), new Point(1, 2), null},
        new String[] {"a", null, "\uD83D\uDE00"},
        new long[] {1L, 2L}};
    Class<?>[] declared = {Writable[].class, String[].class, long[].class};
    for (int v = 0; v < values.length; v++) {
      byte[] full = write(values[v], declared[v]);
      for (int length = 0; length < full.length; length++) {
        byte[] cut = java.util.Arrays.copyOf(full, length);
        assertThatThrownBy(() -> ObjectWritable.read(in(cut), NAMES))
            .as("%s cut to %d of %d bytes", declared[v].getSimpleName(), length, full.length)
            .isInstanceOf(EOFException.class);
      }
    }
  }
}
