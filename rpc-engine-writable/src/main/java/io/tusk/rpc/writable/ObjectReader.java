package io.tusk.rpc.writable;

import io.tusk.rpc.ProtocolSignature;
import java.io.DataInput;
import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;

/**
 * The read side of {@link ObjectWritable} (layouts in its class comment), bounded by what arrived:
 * <ul>
 *   <li>Allocation follows {@link PrimitiveArrays}' rules: nothing is sized by a length the bytes
 *       left cannot hold, and element-by-element arrays grow as their elements arrive.</li>
 *   <li>Nesting is limited: a value inside {@value ObjectWritable#MAX_NESTING} arrays and
 *       Writables is the deepest read. The level travels in the {@link DecodingInput}, so it goes
 *       on across a Writable's {@code readFields} (an {@link ObjectWritable} in a
 *       {@code Writable[]} in an {@link ObjectWritable} ...).</li>
 *   <li>Types are checked before values: an array class whose component no writer produces is
 *       refused as soon as it is resolved, and each element's declared class (for the null
 *       encoding, the class it names) must fit the array's component type before the element's
 *       value is read.</li>
 * </ul>
 * Stateless (all state is in the input); thread-safe.
 */
final class ObjectReader {

  private ObjectReader() {}

  /** Reads one value and its declared class at the input's nesting level. */
  static ObjectWritable read(DecodingInput in, WireClassResolver resolver) throws IOException {
    int level = in.nesting();
    if (level > ObjectWritable.MAX_NESTING) {
      throw new IOException("nesting deeper than " + ObjectWritable.MAX_NESTING
          + " levels of arrays and Writables: a Writable reads a value at level " + level);
    }
    String name = UTF8.readString(in);
    if (name.equals(WireClassResolver.ARRAY_PRIMITIVE_NAME)) {
      Object array = PrimitiveArrays.read(in);
      return new ObjectWritable(array.getClass(), array, resolver);
    }
    Class<?> declared = resolver.resolve(name);
    if (isPlain(declared)) {
      return new ObjectWritable(declared, readPlain(in, resolver, declared, name, level),
          resolver);
    }
    requireEnveloped(declared);
    String actualName = UTF8.readString(in);
    if (actualName.equals(WireClassResolver.NULL_INSTANCE_NAME)) {
      return new ObjectWritable(resolver.resolve(UTF8.readString(in)), null, resolver);
    }
    return new ObjectWritable(declared, readEnveloped(in, resolver, declared, actualName, level),
        resolver);
  }

  /** Primitives, arrays, String and enums: the value follows the declared class's name. */
  private static boolean isPlain(Class<?> declared) {
    return declared.isPrimitive() || declared.isArray() || declared == String.class
        || declared.isEnum();
  }

  /** Writables and ProtocolSignature: the actual class's name comes between. */
  private static void requireEnveloped(Class<?> declared) throws IOException {
    if (!Writable.class.isAssignableFrom(declared) && declared != ProtocolSignature.class) {
      throw new IOException("Can't read a value declared as " + declared.getName()
          + ": no writer produces one (" + EncodableTypes.ENCODABLE + ")");
    }
  }

  private static Object readPlain(DecodingInput in, WireClassResolver resolver,
      Class<?> declared, String name, int level) throws IOException {
    if (declared.isPrimitive()) {
      return readPrimitive(in, declared);
    } else if (declared.isArray()) {
      return readArray(in, resolver, declared, name, level);
    } else if (declared == String.class) {
      return UTF8.readString(in);
    }
    return readEnum(in, declared);
  }

  private static Object readEnveloped(DecodingInput in, WireClassResolver resolver,
      Class<?> declared, String actualName, int level) throws IOException {
    Class<?> actual = resolver.resolve(actualName);
    return actual == ProtocolSignature.class && declared == ProtocolSignature.class
        ? ProtocolSignature.read(in)
        : readWritable(in, declared, actual, level);
  }

  /** An element-by-element array at {@code level}: its elements are one level deeper. */
  private static Object readArray(DecodingInput in, WireClassResolver resolver, Class<?> type,
      String name, int level) throws IOException {
    String unencodable = EncodableTypes.unencodableArray(type);
    if (unencodable != null) {
      throw new IOException("Can't read an array " + name + ": no writer produces one, "
          + unencodable);
    }
    int deepest = level + EncodableTypes.dimensions(type); // of its innermost elements
    if (deepest > ObjectWritable.MAX_NESTING) {
      throw new IOException("array nesting deeper than " + ObjectWritable.MAX_NESTING
          + " levels: " + name + " at level " + level + " puts elements at level " + deepest);
    }
    int length = in.readInt();
    if (length < 0) {
      throw new IOException("array " + name + " has negative length " + length);
    }
    Class<?> component = type.getComponentType();
    Object array = PrimitiveArrays.newElementArray(in, component, length);
    int capacity = Array.getLength(array);
    for (int i = 0; i < length; i++) {
      if (i == capacity) {
        array = PrimitiveArrays.grow(array, capacity, length);
        capacity = Array.getLength(array);
      }
      Object element = readElement(in, resolver, component, i, level + 1);
      try {
        Array.set(array, i, element);
      } catch (IllegalArgumentException e) { // not expected: readElement checked the class
        throw new IOException("array element " + i + " of type " + element.getClass().getName()
            + " does not fit an array of " + component.getTypeName(), e);
      }
    }
    return array;
  }

  /**
   * Element {@code index} of an array of {@code component}; its declared class is checked
   * against the component before its value is read.
   */
  private static Object readElement(DecodingInput in, WireClassResolver resolver,
      Class<?> component, int index, int level) throws IOException {
    String name = UTF8.readString(in);
    if (name.equals(WireClassResolver.ARRAY_PRIMITIVE_NAME)) {
      Class<?> arrayType = PrimitiveArrays.readComponent(in).arrayType();
      if (!component.isAssignableFrom(arrayType)) {
        throw misfit(index, arrayType.getTypeName(), component);
      }
      return PrimitiveArrays.readValues(in, arrayType.getComponentType());
    }
    Class<?> declared = resolver.resolve(name);
    if (isPlain(declared)) {
      if (!EncodableTypes.fits(declared, component)) {
        throw misfit(index, name, component);
      }
      return readPlain(in, resolver, declared, name, level);
    }
    requireEnveloped(declared);
    // A null of any class is declared as Writable and judged by the class it names.
    if (declared != Writable.class && !component.isAssignableFrom(declared)) {
      throw misfit(index, name, component);
    }
    String actualName = UTF8.readString(in);
    if (actualName.equals(WireClassResolver.NULL_INSTANCE_NAME)) {
      String nullOf = UTF8.readString(in);
      if (component.isPrimitive() || !component.isAssignableFrom(resolver.resolve(nullOf))) {
        throw misfit(index, "null of " + nullOf, component);
      }
      return null;
    }
    if (!component.isAssignableFrom(declared)) {
      throw misfit(index, name, component);
    }
    return readEnveloped(in, resolver, declared, actualName, level);
  }

  private static IOException misfit(int index, String element, Class<?> component) {
    return new IOException("array element " + index + " of class " + element
        + " does not fit an array of " + component.getTypeName());
  }

  private static Object readPrimitive(DataInput in, Class<?> type) throws IOException {
    if (type == boolean.class) {
      return in.readBoolean();
    } else if (type == byte.class) {
      return in.readByte();
    } else if (type == char.class) {
      return in.readChar();
    } else if (type == short.class) {
      return in.readShort();
    } else if (type == int.class) {
      return in.readInt();
    } else if (type == long.class) {
      return in.readLong();
    } else if (type == float.class) {
      return in.readFloat();
    } else if (type == double.class) {
      return in.readDouble();
    }
    return null; // void
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object readEnum(DataInput in, Class<?> type) throws IOException {
    String constant = UTF8.readString(in);
    try {
      return Enum.valueOf((Class) type, constant);
    } catch (IllegalArgumentException e) {
      throw new IOException("enum " + type.getName() + " has no constant " + constant, e);
    }
  }

  /** A Writable at {@code level}: whatever its {@code readFields} reads is one level deeper. */
  private static Writable readWritable(DecodingInput in, Class<?> declared, Class<?> actual,
      int level) throws IOException {
    if (!Writable.class.isAssignableFrom(actual) || !declared.isAssignableFrom(actual)) {
      throw new IOException("Can't read a value of class " + actual.getName() + " declared as "
          + declared.getName() + ": it must be a Writable of the declared class");
    }
    Object constructor = ObjectWritable.noArgConstructor(actual);
    if (!(constructor instanceof Constructor<?>)) {
      throw new IOException("Can't create " + actual.getName() + ": " + constructor);
    }
    Writable writable;
    try {
      writable = (Writable) ((Constructor<?>) constructor).newInstance();
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IOException("Can't create " + actual.getName() + ": " + e, e);
    }
    int outer = in.nesting();
    in.nesting(level + 1);
    try {
      writable.readFields(in);
    } catch (RuntimeException e) {
      throw new IOException("Failed to read " + actual.getName() + ": " + e, e);
    } finally {
      in.nesting(outer);
    }
    return writable;
  }
}
