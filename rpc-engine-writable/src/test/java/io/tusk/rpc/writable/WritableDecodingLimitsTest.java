package io.tusk.rpc.writable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.rpc.spi.RequestDecoder;
import io.tusk.rpc.writable.Fixtures.Point;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 9, item 1 (REVIEW F1): Writable decoding is bounded by what arrived. Hostile values are
 * decoded the way the server decodes a request (the engine's {@link RequestDecoder} over the
 * frame's bytes) and, where it matters, from a stream whose length the decoder cannot know; the
 * bytes each decode allocates are measured with the JVM's per-thread allocation counter.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WritableDecodingLimitsTest {
  private static final WireClassResolver NAMES = WireClassResolver.defaultResolver();
  private static final RequestDecoder<?> SERVER =
      new WritableRpcEngine().newServerEngine().decoder();
  /** Far below what the unbounded decoder took for any of these (256 KiB and up). */
  private static final long LITTLE = 128 * 1024;

  /** What one decode allocated on this thread, and what it threw ({@code null}: nothing). */
  private record Measured(long allocated, Throwable thrown) {}

  @FunctionalInterface
  private interface Decode {
    Object run() throws Exception;
  }

  /** Runs {@code decode} once to load and link what it uses, then again, measured. */
  private static Measured measure(Decode decode) {
    run(decode);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assertThat(threads.isThreadAllocatedMemoryEnabled()).isTrue();
    long id = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(id);
    Throwable thrown = run(decode);
    return new Measured(threads.getThreadAllocatedBytes(id) - before, thrown);
  }

  private static Throwable run(Decode decode) {
    try {
      decode.run();
      return null;
    } catch (Throwable t) {
      return t;
    }
  }

  /** A call's request bytes with {@code parameter} as its one argument. */
  private static byte[] request(byte[] parameter) {
    return HostileRequests.invocation("tusk.test.P", "m", 1, parameter);
  }

  /** Decodes {@code request} (from {@link #request}) as the server does. */
  private static Object decodeFrame(byte[] request) throws IOException {
    return SERVER.decode(ByteBuffer.wrap(request));
  }

  /** Decodes {@code parameter} as the one argument of a call, as the server does. */
  private static Object decodeRequest(byte[] parameter) throws IOException {
    return decodeFrame(request(parameter));
  }

  /** Decodes {@code value} from a stream that does not tell how many bytes remain. */
  private static Object decodeStream(byte[] value) throws IOException {
    return ObjectWritable.read(new DataInputStream(new ByteArrayInputStream(value)), NAMES).get();
  }

  private static Object[] parameters(Object invocation) {
    return ((Invocation) invocation).getParameters();
  }

  // ------------------------------------------------------------------ the bomb and deep nesting

  @Test
  void nestedObjectArrayBombIsRefusedBeforeAnythingIsAllocated() {
    byte[] bomb = HostileRequests.objectArrayBomb(3_000, 65_536);
    assertThat(bomb).hasSizeBetween(74_000, 76_000);
    byte[] frame = request(bomb);
    for (Decode decode : new Decode[] {() -> decodeFrame(frame), () -> decodeStream(bomb)}) {
      Measured m = measure(decode);
      assertThat(m.thrown()).isExactlyInstanceOf(IOException.class)
          .hasMessageContaining("[Ljava.lang.Object;").hasMessageContaining("no writer");
      assertThat(m.allocated()).isLessThan(LITTLE);
    }
  }

  @Test
  void deepObjectArraysOfOneElementAreRefusedWithoutStackOverflow() {
    byte[] deep = HostileRequests.deepObjectArrays(10_000);
    assertThatThrownBy(() -> decodeRequest(deep)).isExactlyInstanceOf(IOException.class)
        .hasMessageContaining("java.lang.Object");
  }

  @Test
  void writableChainIsRefusedAtLevel33WithoutStackOverflow() {
    byte[] chain = HostileRequests.writableChain(5_000);
    byte[] frame = request(chain);
    for (Decode decode : new Decode[] {() -> decodeFrame(frame), () -> decodeStream(chain)}) {
      Measured m = measure(decode);
      assertThat(m.thrown()).isExactlyInstanceOf(IOException.class)
          .hasMessageContaining("nesting deeper than 32 levels").hasMessageContaining("33");
      assertThat(m.allocated()).isLessThan(LITTLE);
    }
  }

  @Test
  void writableChainOf16ArraysStillDecodes() throws IOException {
    // each level is an array and an ObjectWritable in it: 16 levels are 32 levels of nesting
    Object value = parameters(decodeRequest(HostileRequests.writableChain(16)))[0];
    for (int level = 0; level < 16; level++) {
      value = ((ObjectWritable) ((Writable[]) value)[0]).get();
    }
    assertThat(value).isEqualTo("bottom");
    assertThatThrownBy(() -> decodeRequest(HostileRequests.writableChain(17)))
        .hasMessageContaining("nesting deeper than 32 levels");
  }

  @Test
  void stringArraysOfMoreThan32DimensionsAreRefusedAtTheFirstLevel() {
    // the array class itself says how deep its elements will be: no need to recurse to see it
    for (int dimensions : new int[] {33, 100, 255}) {
      byte[] deep = HostileRequests.stringArrays(dimensions);
      for (Decode decode : new Decode[] {() -> decodeRequest(deep), () -> decodeStream(deep)}) {
        assertThat(run(decode)).as("%d dimensions", dimensions)
            .isExactlyInstanceOf(IOException.class)
            .hasMessageContaining("array nesting deeper than 32 levels")
            .hasMessageContaining("at level 0 puts elements at level " + dimensions);
      }
    }
  }

  @Test
  void elementsDeclaredDeeperThanTheirArrayAreRefusedAtTheFirst() {
    byte[] deeper = HostileRequests.stringArraysDeclaredDeeper(5_000);
    assertThatThrownBy(() -> decodeRequest(deeper)).isExactlyInstanceOf(IOException.class)
        .hasMessageContaining("element 0 of class [[Ljava.lang.String;")
        .hasMessageContaining("does not fit an array of java.lang.String");
  }

  @Test
  void arraysOf32LevelsStillRoundTrip() throws IOException {
    int[] ones = new int[32];
    Arrays.fill(ones, 1);
    Object strings = Array.newInstance(String.class, ones);
    leafArray(strings).set("deep");
    Object texts = Array.newInstance(Text.class, ones);
    ((Object[]) leafArray(texts).array)[0] = new Text("deep");
    Object ints = Array.newInstance(int.class, ones);
    ((int[]) leafArray(ints).array)[0] = 42;
    for (Object value : new Object[] {strings, texts, ints}) {
      for (boolean compact : new boolean[] {true, false}) {
        byte[] bytes = Bytes.of(out ->
            ObjectWritable.writeObject(out, value, value.getClass(), compact, NAMES));
        assertThat(deepEquals(parameters(decodeRequest(bytes))[0], value)).isTrue();
        assertThat(deepEquals(decodeStream(bytes), value)).isTrue();
      }
    }
  }

  // ------------------------------------------------------------------ huge announced lengths

  @Test
  void hugeCompactArraysFailWithEofAllocatingLittle() {
    for (String component : new String[] {
        "boolean", "byte", "char", "short", "int", "long", "float", "double"}) {
      byte[] huge = HostileRequests.hugeCompactArray(component);
      byte[] frame = request(huge);
      for (Decode decode : new Decode[] {() -> decodeFrame(frame), () -> decodeStream(huge)}) {
        Measured m = measure(decode);
        assertThat(m.thrown()).as(component).isInstanceOf(EOFException.class);
        assertThat(m.allocated()).as(component).isLessThan(LITTLE);
      }
    }
  }

  @Test
  void hugeElementByElementArrayFailsWithEofAllocatingLittle() {
    byte[] huge = HostileRequests.hugeElementArray();
    byte[] frame = request(huge);
    for (Decode decode : new Decode[] {() -> decodeFrame(frame), () -> decodeStream(huge)}) {
      Measured m = measure(decode);
      assertThat(m.thrown()).isInstanceOf(EOFException.class);
      assertThat(m.allocated()).isLessThan(LITTLE);
    }
  }

  @Test
  void fromAStreamOfUnknownLengthAnArrayGrowsOnlyWithTheBytesThatArrive() {
    int arrived = 1 << 20; // 1 MiB of longs behind a length of 2^31-1
    byte[] value = Bytes.of(out -> {
      UTF8.writeString(out, WireClassResolver.ARRAY_PRIMITIVE_NAME);
      UTF8.writeString(out, "long");
      out.writeInt(Integer.MAX_VALUE);
      out.write(new byte[arrived]);
    });
    Measured m = measure(() -> decodeStream(value));
    assertThat(m.thrown()).isInstanceOf(EOFException.class);
    // doubling: what was filled, plus the one step ahead, plus the copies behind
    assertThat(m.allocated()).isBetween((long) arrived, 5L * arrived);
  }

  @Test
  void aLegalLargeArrayIsAllocatedOnceWhenTheFrameLengthIsKnown() throws IOException {
    long[] big = new long[1 << 17]; // 1 MiB
    Arrays.fill(big, 7);
    byte[] frame = request(
        Bytes.of(out -> ObjectWritable.writeObject(out, big, long[].class, true, NAMES)));
    Measured m = measure(() -> decodeFrame(frame));
    assertThat(m.thrown()).isNull();
    assertThat(parameters(decodeFrame(frame))[0]).isEqualTo(big);
    // the measurement is real: the array itself, and no doubling copies next to it
    assertThat(m.allocated()).isBetween(8L * big.length, 8L * big.length + LITTLE);
  }

  @Test
  void hugeTextAndUtf8LengthsFailWithEofAllocatingLittle() {
    byte[] text = Bytes.of(out -> {
      UTF8.writeString(out, "org.apache.hadoop.io.Text");
      UTF8.writeString(out, "org.apache.hadoop.io.Text");
      WritableUtils.writeVInt(out, Integer.MAX_VALUE);
      out.write(new byte[10]);
    });
    byte[] utf8 = Bytes.of(out -> {
      UTF8.writeString(out, "java.lang.String");
      out.writeShort(0xffff);
      out.write('x');
    });
    for (byte[] value : new byte[][] {text, utf8}) {
      byte[] frame = request(value);
      Measured m = measure(() -> decodeFrame(frame));
      assertThat(m.thrown()).isInstanceOf(EOFException.class);
      assertThat(m.allocated()).isLessThan(16 * 1024);
    }
  }

  @Test
  void protocolSignatureWithAHugeMethodCountFailsWithEofAllocatingLittle() {
    byte[] signature = Bytes.of(out -> {
      UTF8.writeString(out, WireClassResolver.PROTOCOL_SIGNATURE_NAME);
      UTF8.writeString(out, WireClassResolver.PROTOCOL_SIGNATURE_NAME);
      out.writeLong(1);
      out.writeBoolean(true);
      out.writeInt(65_536);
      out.writeInt(5);
    });
    byte[] frame = request(signature);
    Measured m = measure(() -> decodeFrame(frame));
    assertThat(m.thrown()).isInstanceOf(EOFException.class);
    assertThat(m.allocated()).isLessThan(64 * 1024);
  }

  // ------------------------------------------------------------------ element and array types

  @Test
  void componentTypesNoWriterProducesAreRefusedBeforeTheLengthIsRead() {
    for (String name : new String[] {"[Ljava.lang.Object;", "[[Ljava.lang.Object;",
        "[Ljava.lang.Runnable;", "[Ljava.lang.Number;", "[Ljava.lang.Enum;",
        "[Ljava.io.Serializable;", "[[[Ljava.lang.Thread;"}) {
      // nothing follows the name: refusing it must not need the length
      byte[] value = Bytes.of(out -> UTF8.writeString(out, name));
      assertThatThrownBy(() -> decodeRequest(value)).as(name)
          .isExactlyInstanceOf(IOException.class).hasMessageContaining(name)
          .hasMessageContaining("no writer");
    }
  }

  @Test
  void anElementsDeclaredClassIsCheckedBeforeItsValueIsRead() {
    // each element is cut off right after its declared class: a check after decoding would
    // fail with EOFException instead
    String[][] cases = {
        {"[Lorg.apache.hadoop.io.Text;", Point.class.getName(), Point.class.getName()},
        {"[Lorg.apache.hadoop.io.Text;", WireClassResolver.WRITABLE_NAME + "|"
            + "org.apache.hadoop.io.Text", WireClassResolver.WRITABLE_NAME},
        {"[Ljava.lang.String;", "int", "int"},
        {"[I", "long", "long"},
        {"[[I", WireClassResolver.ARRAY_PRIMITIVE_NAME + "|long", "long[]"},
        {"[[Ljava.lang.String;", "[Lorg.apache.hadoop.io.Text;", "[Lorg.apache.hadoop.io.Text;"}};
    for (String[] c : cases) {
      byte[] value = Bytes.of(out -> {
        UTF8.writeString(out, c[0]);
        out.writeInt(3);
        for (String part : c[1].split("\\|")) {
          UTF8.writeString(out, part);
        }
        out.writeInt(Integer.MAX_VALUE); // would be a length or a value, never read
      });
      assertThatThrownBy(() -> decodeRequest(value)).as(c[0] + " holding " + c[1])
          .isExactlyInstanceOf(IOException.class).hasMessageContaining("element 0")
          .hasMessageContaining(c[2]).hasMessageContaining("does not fit");
    }
  }

  @Test
  void aNullElementMustNameAClassThatFitsTheArray() throws IOException {
    assertThatThrownBy(() -> decodeRequest(arrayWithNull("[Lorg.apache.hadoop.io.Text;",
        "java.lang.String"))).isExactlyInstanceOf(IOException.class)
        .hasMessageContaining("element 0").hasMessageContaining("null of java.lang.String");
    assertThatThrownBy(() -> decodeRequest(arrayWithNull("[I", "int")))
        .isExactlyInstanceOf(IOException.class).hasMessageContaining("element 0");
    assertThat(parameters(decodeRequest(arrayWithNull("[Lorg.apache.hadoop.io.Writable;",
        "org.apache.hadoop.io.Text")))[0]).isEqualTo(new Writable[] {null});
    assertThat(parameters(decodeRequest(arrayWithNull("[Ljava.lang.String;",
        "java.lang.String")))[0]).isEqualTo(new String[] {null});
  }

  private static byte[] arrayWithNull(String arrayName, String nullOf) {
    return Bytes.of(out -> {
      UTF8.writeString(out, arrayName);
      out.writeInt(1);
      UTF8.writeString(out, WireClassResolver.WRITABLE_NAME);
      UTF8.writeString(out, WireClassResolver.NULL_INSTANCE_NAME);
      UTF8.writeString(out, nullOf);
    });
  }

  @Test
  void aClientDecodesResponsesWithTheSameLimits() throws Exception {
    ClientMethod echo = ClientMethod.of(TestProtocols.Everything.class.getMethod("split",
        String.class));
    byte[] bomb = HostileRequests.objectArrayBomb(3_000, 65_536);
    ByteBuffer response = ByteBuffer.wrap(bomb);
    Measured m = measure(() -> echo.decodeReturn(response.duplicate()));
    assertThat(m.thrown()).isExactlyInstanceOf(IOException.class)
        .hasMessageContaining("java.lang.Object");
    assertThat(m.allocated()).isLessThan(LITTLE);
    assertThatThrownBy(() -> echo.decodeReturn(ByteBuffer.wrap(HostileRequests.writableChain(40))))
        .hasMessageContaining("nesting deeper than 32 levels");
  }

  private static boolean deepEquals(Object a, Object b) {
    return Arrays.deepEquals(new Object[] {a}, new Object[] {b});
  }

  /** The innermost array of a nested array of ones, and a way to set its only element. */
  private record Leaf(Object array) {
    void set(Object value) {
      Array.set(array, 0, value);
    }
  }

  private static Leaf leafArray(Object array) {
    while (array.getClass().getComponentType().isArray()) {
      array = Array.get(array, 0);
    }
    return new Leaf(array);
  }
}
