package io.tusk.rpc.writable;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.reflect.Array;
import java.util.Arrays;

/**
 * The compact encoding of a primitive array, Hadoop's {@code ArrayPrimitiveWritable} body, which
 * {@link ObjectWritable} uses for request parameters (see there), plus reads that allocate as the
 * bytes arrive instead of trusting a length a peer sent.
 *
 * <pre>
 * +--------------------------------+----------------+--------------------------------------+
 * | component type: UTF8 ("byte")  | length: int32  | length raw values, DataOutput layout |
 * +--------------------------------+----------------+--------------------------------------+
 * </pre>
 * No per-element class names: a {@code byte[]} costs one byte per element. Matches
 * {@code ArrayPrimitiveWritable.write} / {@code readFields} in Hadoop 3.4.2.
 */
final class PrimitiveArrays {

  /** Largest allocation made before the bytes to fill it have actually arrived. */
  static final int CHUNK = 64 * 1024;

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
    String componentName = UTF8.readString(in);
    int length = in.readInt();
    if (length < 0) {
      throw new IOException("encoded array length is negative: " + length);
    }
    switch (componentName) {
      case "byte":
        return readBytes(in, length);
      case "boolean": {
        boolean[] a = new boolean[Math.min(length, CHUNK)];
        for (int i = 0; i < length; i++) {
          a = i < a.length ? a : Arrays.copyOf(a, grow(a.length, length));
          a[i] = in.readBoolean();
        }
        return a;
      }
      case "char": {
        char[] a = new char[Math.min(length, CHUNK)];
        for (int i = 0; i < length; i++) {
          a = i < a.length ? a : Arrays.copyOf(a, grow(a.length, length));
          a[i] = in.readChar();
        }
        return a;
      }
      case "short": {
        short[] a = new short[Math.min(length, CHUNK)];
        for (int i = 0; i < length; i++) {
          a = i < a.length ? a : Arrays.copyOf(a, grow(a.length, length));
          a[i] = in.readShort();
        }
        return a;
      }
      case "int": {
        int[] a = new int[Math.min(length, CHUNK)];
        for (int i = 0; i < length; i++) {
          a = i < a.length ? a : Arrays.copyOf(a, grow(a.length, length));
          a[i] = in.readInt();
        }
        return a;
      }
      case "long": {
        long[] a = new long[Math.min(length, CHUNK)];
        for (int i = 0; i < length; i++) {
          a = i < a.length ? a : Arrays.copyOf(a, grow(a.length, length));
          a[i] = in.readLong();
        }
        return a;
      }
      case "float": {
        float[] a = new float[Math.min(length, CHUNK)];
        for (int i = 0; i < length; i++) {
          a = i < a.length ? a : Arrays.copyOf(a, grow(a.length, length));
          a[i] = in.readFloat();
        }
        return a;
      }
      case "double": {
        double[] a = new double[Math.min(length, CHUNK)];
        for (int i = 0; i < length; i++) {
          a = i < a.length ? a : Arrays.copyOf(a, grow(a.length, length));
          a[i] = in.readDouble();
        }
        return a;
      }
      default:
        throw new IOException(
            "encoded array component type " + componentName + " is not a candidate primitive type");
    }
  }

  /**
   * Reads exactly {@code length} bytes, allocating at most {@link #CHUNK} bytes ahead of the data,
   * so a corrupt or hostile length fails with an {@link java.io.EOFException} rather than an
   * {@link OutOfMemoryError}.
   */
  static byte[] readBytes(DataInput in, int length) throws IOException {
    if (length <= CHUNK) {
      byte[] bytes = new byte[length];
      in.readFully(bytes);
      return bytes;
    }
    byte[] bytes = new byte[CHUNK];
    int filled = 0;
    while (filled < length) {
      if (filled == bytes.length) {
        bytes = Arrays.copyOf(bytes, grow(bytes.length, length));
      }
      int n = bytes.length - filled;
      in.readFully(bytes, filled, n);
      filled += n;
    }
    return bytes;
  }

  /**
   * Returns a new array of {@code component} holding {@code length} elements from {@code next},
   * growing as elements arrive (for element-by-element arrays, whose length a peer also sends).
   */
  static Object readElements(Class<?> component, int length, ElementReader next)
      throws IOException {
    Object array = Array.newInstance(component, Math.min(length, CHUNK));
    for (int i = 0; i < length; i++) {
      int capacity = Array.getLength(array);
      if (i == capacity) {
        Object bigger = Array.newInstance(component, grow(capacity, length));
        System.arraycopy(array, 0, bigger, 0, capacity);
        array = bigger;
      }
      Object element = next.read(i);
      try {
        Array.set(array, i, element);
      } catch (IllegalArgumentException e) {
        throw new IOException("array element " + i + " of type "
            + (element == null ? "null" : element.getClass().getName())
            + " does not fit an array of " + component.getName(), e);
      }
    }
    return array;
  }

  /** Reads one array element; {@code index} is for error messages. */
  @FunctionalInterface
  interface ElementReader {
    Object read(int index) throws IOException;
  }

  private static int grow(int capacity, int length) {
    return (int) Math.min((long) capacity * 2, length);
  }
}
