package io.tusk.rpc.writable;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.EOFException;
import java.io.IOException;
import java.lang.reflect.Array;
import java.util.Arrays;

/**
 * The compact encoding of a primitive array, Hadoop's {@code ArrayPrimitiveWritable} body, which
 * {@link ObjectWritable} uses for request parameters (see there), plus the allocation rules every
 * Writable decoder follows so that a length a peer sent is never trusted.
 *
 * <pre>
 * +--------------------------------+----------------+--------------------------------------+
 * | component type: UTF8 ("byte")  | length: int32  | length raw values, DataOutput layout |
 * +--------------------------------+----------------+--------------------------------------+
 * </pre>
 * No per-element class names: a {@code byte[]} costs one byte per element. Matches
 * {@code ArrayPrimitiveWritable.write} / {@code readFields} in Hadoop 3.4.2.
 *
 * <h2>Allocating no more than arrived</h2>
 * <ul>
 *   <li>When the input knows how many bytes are left ({@link DecodingInput#remaining}, exact for
 *       the engine's {@link FrameInput}), a length whose elements cannot fit in them fails at once
 *       with {@link EOFException}, before anything is allocated; otherwise a compact array or a
 *       byte string is allocated once, at its final size.</li>
 *   <li>When it does not know, an array starts at {@value #INITIAL_ELEMENTS} elements (a byte
 *       string at {@value #INITIAL_BYTES} bytes) and doubles as its elements arrive, so what is
 *       allocated stays within about twice what was received.</li>
 *   <li>Element-by-element arrays ({@link ObjectWritable}'s other layout) are checked the same
 *       way (each element takes at least {@value #MIN_ELEMENT_BYTES} bytes). Those whose elements
 *       may be arrays or Writables, and so contain further arrays, always start at
 *       {@value #INITIAL_ELEMENTS} elements and double: every open level pre-allocating against
 *       the same remaining bytes would multiply them. Arrays of primitives, boxes, strings or
 *       enums are allocated at their length once it passed the check, as only one of them can be
 *       filling at a time.</li>
 * </ul>
 */
final class PrimitiveArrays {

  /** First capacity of an array whose length cannot be checked against the bytes left. */
  static final int INITIAL_ELEMENTS = 16;

  /** First capacity of a byte string whose length cannot be checked against the bytes left. */
  static final int INITIAL_BYTES = 1024;

  /** Fewest bytes an element-by-element element takes: its class name's UTF8 length. */
  static final int MIN_ELEMENT_BYTES = 2;

  private PrimitiveArrays() {}

  /** Writes {@code array} (an array of a non-void primitive type) in the compact layout. */
  static void write(DataOutput out, Object array) throws IOException {
    Class<?> component = array.getClass().getComponentType();
    UTF8.writeString(out, component.getName());
    int length = Array.getLength(array);
    out.writeInt(length);
    if (component == byte.class) {
      out.write((byte[]) array);
    } else if (component == boolean.class) {
      for (boolean v : (boolean[]) array) {
        out.writeBoolean(v);
      }
    } else if (component == char.class) {
      for (char v : (char[]) array) {
        out.writeChar(v);
      }
    } else if (component == short.class) {
      for (short v : (short[]) array) {
        out.writeShort(v);
      }
    } else if (component == int.class) {
      for (int v : (int[]) array) {
        out.writeInt(v);
      }
    } else if (component == long.class) {
      for (long v : (long[]) array) {
        out.writeLong(v);
      }
    } else if (component == float.class) {
      for (float v : (float[]) array) {
        out.writeFloat(v);
      }
    } else if (component == double.class) {
      for (double v : (double[]) array) {
        out.writeDouble(v);
      }
    } else {
      throw new UnsupportedTypeException(array.getClass(), "not a primitive array");
    }
  }

  /** Reads an array written by {@link #write}; the array's class is its declared class. */
  static Object read(DataInput in) throws IOException {
    return readValues(in, readComponent(in));
  }

  /** Reads the compact layout's component type: a primitive type other than {@code void}. */
  static Class<?> readComponent(DataInput in) throws IOException {
    String name = UTF8.readString(in);
    switch (name) {
      case "boolean": return boolean.class;
      case "byte": return byte.class;
      case "char": return char.class;
      case "short": return short.class;
      case "int": return int.class;
      case "long": return long.class;
      case "float": return float.class;
      case "double": return double.class;
      default:
        throw new IOException(
            "encoded array component type " + name + " is not a candidate primitive type");
    }
  }

  /** Reads the length and values of the compact layout, after its component type. */
  static Object readValues(DataInput in, Class<?> component) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      throw new IOException("encoded array length is negative: " + length);
    }
    return readValues(in, component, length);
  }

  /** Reads {@code length} raw values of {@code component} (a primitive type other than void). */
  static Object readValues(DataInput in, Class<?> component, int length) throws IOException {
    if (component == byte.class) {
      return readBytes(in, length);
    }
    int capacity = leafCapacity(in, length, valueBytes(component), component);
    if (component == boolean.class) {
      boolean[] a = new boolean[capacity];
      for (int i = 0; i < length; i++) {
        a = i < a.length ? a : Arrays.copyOf(a, grow(a.length, length));
        a[i] = in.readBoolean();
      }
      return a;
    } else if (component == char.class) {
      char[] a = new char[capacity];
      for (int i = 0; i < length; i++) {
        a = i < a.length ? a : Arrays.copyOf(a, grow(a.length, length));
        a[i] = in.readChar();
      }
      return a;
    } else if (component == short.class) {
      short[] a = new short[capacity];
      for (int i = 0; i < length; i++) {
        a = i < a.length ? a : Arrays.copyOf(a, grow(a.length, length));
        a[i] = in.readShort();
      }
      return a;
    } else if (component == int.class) {
      int[] a = new int[capacity];
      for (int i = 0; i < length; i++) {
        a = i < a.length ? a : Arrays.copyOf(a, grow(a.length, length));
        a[i] = in.readInt();
      }
      return a;
    } else if (component == long.class) {
      long[] a = new long[capacity];
      for (int i = 0; i < length; i++) {
        a = i < a.length ? a : Arrays.copyOf(a, grow(a.length, length));
        a[i] = in.readLong();
      }
      return a;
    } else if (component == float.class) {
      float[] a = new float[capacity];
      for (int i = 0; i < length; i++) {
        a = i < a.length ? a : Arrays.copyOf(a, grow(a.length, length));
        a[i] = in.readFloat();
      }
      return a;
    } else if (component == double.class) {
      double[] a = new double[capacity];
      for (int i = 0; i < length; i++) {
        a = i < a.length ? a : Arrays.copyOf(a, grow(a.length, length));
        a[i] = in.readDouble();
      }
      return a;
    }
    throw new IllegalArgumentException("not a primitive value type: " + component);
  }

  /**
   * Reads exactly {@code length} bytes, allocating no more than the rules in the class comment
   * allow, so a corrupt or hostile length fails with an {@link EOFException} rather than an
   * {@link OutOfMemoryError}.
   */
  static byte[] readBytes(DataInput in, int length) throws IOException {
    int remaining = DecodingInput.remaining(in);
    if (remaining != DecodingInput.UNKNOWN || length <= INITIAL_BYTES) {
      if (remaining != DecodingInput.UNKNOWN && length > remaining) {
        throw tooLong(length, 1, byte.class, remaining);
      }
      byte[] bytes = new byte[length];
      in.readFully(bytes);
      return bytes;
    }
    byte[] bytes = new byte[INITIAL_BYTES];
    int filled = 0;
    while (filled < length) {
      if (filled == bytes.length) {
        bytes = Arrays.copyOf(bytes, grow(filled, length));
      }
      int n = bytes.length - filled;
      in.readFully(bytes, filled, n);
      filled += n;
    }
    return bytes;
  }

  /**
   * Returns a new element-by-element array of {@code component} with room for its first elements
   * (see the class comment), after checking that {@code length} of them can be in the bytes left.
   */
  static Object newElementArray(DataInput in, Class<?> component, int length)
      throws EOFException {
    boolean known = requireRoom(in, length, MIN_ELEMENT_BYTES, component);
    boolean mayNest = component.isArray() || Writable.class.isAssignableFrom(component);
    return Array.newInstance(component,
        known && !mayNest ? length : Math.min(length, INITIAL_ELEMENTS));
  }

  /** Returns {@code array} (of capacity {@code capacity}) copied into one twice as large. */
  static Object grow(Object array, int capacity, int length) {
    Object bigger = Array.newInstance(array.getClass().getComponentType(), grow(capacity, length));
    System.arraycopy(array, 0, bigger, 0, capacity);
    return bigger;
  }

  /** The capacity to start a compact array (or a run of fixed-size values) at. */
  static int leafCapacity(DataInput in, int length, int elementBytes, Class<?> component)
      throws EOFException {
    if (requireRoom(in, length, elementBytes, component)) {
      return length;
    }
    return Math.min(length, INITIAL_ELEMENTS);
  }

  /**
   * Fails if {@code length} elements of at least {@code elementBytes} each cannot be in what
   * {@code in} has left; returns whether {@code in} knew.
   */
  private static boolean requireRoom(DataInput in, int length, int elementBytes,
      Class<?> component) throws EOFException {
    int remaining = DecodingInput.remaining(in);
    if (remaining == DecodingInput.UNKNOWN) {
      return false;
    }
    if ((long) length * elementBytes > remaining) {
      throw tooLong(length, elementBytes, component, remaining);
    }
    return true;
  }

  private static EOFException tooLong(int length, int elementBytes, Class<?> component,
      int remaining) {
    return new EOFException("an array of " + length + " " + component.getName()
        + " needs at least " + (long) length * elementBytes + " bytes, only " + remaining
        + " are left");
  }

  private static int valueBytes(Class<?> component) {
    if (component == boolean.class || component == byte.class) {
      return 1;
    } else if (component == char.class || component == short.class) {
      return 2;
    } else if (component == long.class || component == double.class) {
      return 8;
    }
    return 4; // int, float
  }

  private static int grow(int capacity, int length) {
    return (int) Math.min(Math.max((long) capacity * 2, 1), length);
  }
}
