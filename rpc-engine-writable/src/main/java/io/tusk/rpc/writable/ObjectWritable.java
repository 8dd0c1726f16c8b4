package io.tusk.rpc.writable;

import io.tusk.rpc.ProtocolSignature;
import io.tusk.rpc.WireName;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A value together with its declared class, encoded so that a reader learns both: Hadoop's
 * {@code org.apache.hadoop.io.ObjectWritable}, the envelope of every Writable RPC parameter and
 * return value.
 *
 * <h2>Layout</h2>
 * Every value starts with its declared class's wire name as {@link UTF8} (see
 * {@link WireClassResolver} for names); what follows depends on that class:
 * <pre>
 * boolean, byte       | UTF8 "boolean" | 1 byte (boolean: 0 or 1)            DataOutput layout,
 * char, short         | UTF8 "char"    | 2 bytes                             big-endian
 * int, float          | UTF8 "int"     | 4 bytes (float: IEEE 754 bits)
 * long, double        | UTF8 "long"    | 8 bytes
 * void                | UTF8 "void"    | nothing
 * String              | UTF8 "java.lang.String" | UTF8 value (over 21845 chars truncated!)
 * enum                | UTF8 enum class name    | UTF8 constant name
 * ProtocolSignature   | UTF8 "org.apache.hadoop.ipc.ProtocolSignature" (declared, then actual)
 *                     | ProtocolSignature.write(out) -- rpc-core's record, a Writable in Hadoop
 * Writable            | UTF8 declared class     | UTF8 actual class | actual.write(out)
 * array (T[], int[])  | UTF8 "[L...;" or "[I"   | int32 length | length elements, each a complete
 *                     |                         |              | ObjectWritable declared as T
 * null of any class C | UTF8 "org.apache.hadoop.io.Writable"
 *                     | UTF8 "org.apache.hadoop.io.ObjectWritable$NullInstance" | UTF8 name of C
 * compact primitive   | UTF8 "org.apache.hadoop.io.ArrayPrimitiveWritable$Internal"
 *  array (see below)  | UTF8 component ("int") | int32 length | raw values (no per-element names)
 * </pre>
 * Examples: {@code int 7} is {@code 00 03 'i' 'n' 't' 00 00 00 07}; a {@code null String} is three
 * UTF8 strings; an element-by-element {@code byte[]} costs 7 bytes per element
 * ({@code 00 04 'b' 'y' 't' 'e'} + the byte).
 *
 * <h2>Compact arrays</h2>
 * Hadoop writes a primitive array ({@code int[]} declared as {@code int[]}) in the compact layout
 * only when asked to: {@code WritableRpcEngine.Invocation} asks for request parameters
 * ({@code allowCompactArrays = true}), while a response ({@code new ObjectWritable(returnType,
 * value).write(out)}) does not, so a returned {@code byte[]} goes element by element. The
 * {@code allowCompactArrays} argument below makes the same choice; reading accepts both layouts.
 *
 * <h2>Differences from Hadoop</h2>
 * <ul>
 *   <li>A declared box class ({@code Integer.class}) is written as its primitive ({@code "int"});
 *       Hadoop throws for it. Hadoop readers accept the result; it reads back as {@code int}.</li>
 *   <li>Writing anything else that Hadoop cannot write (a {@code List}, an {@code Object}-declared
 *       {@code String}, a value that is not of its declared class, a Writable without a
 *       no-argument constructor) throws {@link UnsupportedTypeException} naming the type, before
 *       anything of that value is written. Protobuf messages (Hadoop writes them delimited) are
 *       not supported here.</li>
 *   <li>An array whose innermost component is none of these ({@code Object[]}, {@code Runnable[]},
 *       ...), or that has more than {@value #MAX_NESTING} dimensions, is not written even when it
 *       is empty or all {@code null} (Hadoop writes those); a reader refuses it too.</li>
 * </ul>
 *
 * <h2>Decoding limits (differences from Hadoop)</h2>
 * Hadoop's reader trusts what the peer sends; this one allocates and recurses only as far as
 * the bytes that arrived justify, so one small hostile request cannot exhaust a server's heap or
 * stack (issue 9: a 75 KB request of nested {@code Object[]}s used to):
 * <ul>
 *   <li>No allocation is sized by a length the remaining bytes cannot hold: decoding a frame
 *       (which the engine always does) fails such a length at once with
 *       {@link java.io.EOFException}; from other inputs arrays start small and double as their
 *       elements arrive (see {@link PrimitiveArrays}).</li>
 *   <li>A value may sit inside at most {@value #MAX_NESTING} arrays and Writables; deeper fails
 *       with an {@link IOException} ("array nesting deeper than 32 levels ..."), never a
 *       {@link StackOverflowError}. The count goes on across a Writable's {@code readFields}
 *       when it reads from the input it was given.</li>
 *   <li>An array class is refused as soon as it is resolved when no writer produces it (see
 *       above); a value declared as a class that is neither encoded in place nor a Writable (a
 *       box class, {@code Object}, a protobuf message) is refused before its actual class is
 *       read.</li>
 *   <li>Each array element's declared class is checked against the array's component type
 *       before the element's value is read; for the null encoding, the class it names must fit.
 *       The actual class of a Writable must be a {@link Writable} of the declared class before
 *       it is created.</li>
 * </ul>
 * Everything Hadoop 3.4.2 writes for an RPC that this class can represent still reads.
 * Matches {@code ObjectWritable.writeObject(DataOutput, Object, Class, Configuration, boolean)}
 * and {@code ObjectWritable.readObject(DataInput, ObjectWritable, Configuration)} in Hadoop 3.4.2.
 * Instances are mutable and not thread-safe; the static methods are thread-safe.
 */
@WireName("org.apache.hadoop.io.ObjectWritable")
public class ObjectWritable implements Writable {

  /**
   * The deepest nesting read or written: a value may sit inside at most this many arrays and
   * Writables ({@value}); an array of more dimensions is neither written nor read.
   */
  public static final int MAX_NESTING = 32;

  private static final Map<Class<?>, Class<?>> PRIMITIVE_BY_BOX = EncodableTypes.PRIMITIVE_BY_BOX;

  private static final ClassValue<Object> NO_ARG_CONSTRUCTORS = new ClassValue<>() {
    @Override
    protected Object computeValue(Class<?> type) {
      try {
        Constructor<?> constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        return constructor;
      } catch (NoSuchMethodException | RuntimeException e) {
        return "it has no usable no-argument constructor (" + e + ")";
      }
    }
  };

  /** The no-argument constructor of {@code type}, or a String saying why it has none. */
  static Object noArgConstructor(Class<?> type) {
    return NO_ARG_CONSTRUCTORS.get(type);
  }

  private Class<?> declaredClass;
  private Object instance;
  private WireClassResolver resolver;

  /** Creates an empty holder to read into, resolving names with the default resolver. */
  public ObjectWritable() {
    this(WireClassResolver.defaultResolver());
  }

  /**
   * Creates an empty holder to read into.
   *
   * @param resolver resolves class names while reading and writing
   */
  public ObjectWritable(WireClassResolver resolver) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  /**
   * Holds {@code instance}, declared as its own class (an enum constant as its enum type).
   *
   * @param instance the value; never {@code null} (a null needs a declared class)
   */
  public ObjectWritable(Object instance) {
    this();
    set(instance);
  }

  /**
   * Holds {@code instance} declared as {@code declaredClass}.
   *
   * @param declaredClass the declared class, for example a method's parameter or return type
   * @param instance the value, may be {@code null}
   */
  public ObjectWritable(Class<?> declaredClass, Object instance) {
    this(declaredClass, instance, WireClassResolver.defaultResolver());
  }

  /**
   * Holds {@code instance} declared as {@code declaredClass}, with a resolver of its own.
   *
   * @param declaredClass the declared class
   * @param instance the value, may be {@code null}
   * @param resolver resolves class names while reading and writing
   */
  public ObjectWritable(Class<?> declaredClass, Object instance, WireClassResolver resolver) {
    this.declaredClass = Objects.requireNonNull(declaredClass, "declaredClass");
    this.instance = instance;
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  /**
   * Returns the value, {@code null} if none.
   *
   * @return the held or decoded value
   */
  public Object get() {
    return instance;
  }

  /**
   * Returns the declared class, as set or as decoded from the wire.
   *
   * @return the declared class, {@code null} before a value is set or read
   */
  public Class<?> getDeclaredClass() {
    return declaredClass;
  }

  /**
   * Holds {@code instance}, declared as its own class (an enum constant as its enum type).
   *
   * @param instance the value; never {@code null}
   */
  public void set(Object instance) {
    Objects.requireNonNull(instance, "a null value needs a declared class: use set(Class, null)");
    set(instance instanceof Enum<?> e ? e.getDeclaringClass() : instance.getClass(), instance);
  }

  /**
   * Holds {@code instance} declared as {@code declaredClass}.
   *
   * @param declaredClass the declared class
   * @param instance the value, may be {@code null}
   */
  public void set(Class<?> declaredClass, Object instance) {
    this.declaredClass = Objects.requireNonNull(declaredClass, "declaredClass");
    this.instance = instance;
  }

  /** Writes the held value element by element (no compact arrays), as Hadoop's does. */
  @Override
  public void write(DataOutput out) throws IOException {
    if (declaredClass == null) {
      throw new IllegalStateException("ObjectWritable has no value to write");
    }
    writeObject(out, instance, declaredClass, false, resolver);
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    ObjectWritable read = read(in, resolver);
    this.declaredClass = read.declaredClass;
    this.instance = read.instance;
  }

  /**
   * Writes {@code instance} declared as {@code declaredClass} without compact arrays, naming
   * classes with the default resolver.
   *
   * @param out where the bytes go
   * @param instance the value, may be {@code null}
   * @param declaredClass its declared class
   * @throws UnsupportedTypeException if the value cannot be encoded; the message names its type
   * @throws IOException if {@code out} fails
   */
  public static void writeObject(DataOutput out, Object instance, Class<?> declaredClass)
      throws IOException {
    writeObject(out, instance, declaredClass, false, WireClassResolver.defaultResolver());
  }

  /**
   * Writes {@code instance} declared as {@code declaredClass} (see the class comment for the
   * layouts).
   *
   * @param out where the bytes go
   * @param instance the value, may be {@code null}
   * @param declaredClass its declared class
   * @param allowCompactArrays write a primitive array declared as its own type in the compact
   *     layout, as Hadoop does for RPC request parameters
   * @param resolver names the classes
   * @throws UnsupportedTypeException if the value cannot be encoded; the message names its type
   * @throws IOException if {@code out} fails
   */
  public static void writeObject(DataOutput out, Object instance, Class<?> declaredClass,
      boolean allowCompactArrays, WireClassResolver resolver) throws IOException {
    Objects.requireNonNull(declaredClass, "declaredClass");
    if (instance == null) {
      UTF8.writeString(out, WireClassResolver.WRITABLE_NAME);
      UTF8.writeString(out, WireClassResolver.NULL_INSTANCE_NAME);
      UTF8.writeString(out, resolver.wireName(declaredClass));
      return;
    }
    if (allowCompactArrays && declaredClass.isArray() && instance.getClass() == declaredClass
        && declaredClass.getComponentType().isPrimitive()) {
      UTF8.writeString(out, WireClassResolver.ARRAY_PRIMITIVE_NAME);
      PrimitiveArrays.write(out, instance);
      return;
    }
    Class<?> declared = normalize(declaredClass);
    checkWritable(instance, declared);
    UTF8.writeString(out, resolver.wireName(declared));
    if (declared.isArray()) {
      writeElements(out, instance, declared.getComponentType(), allowCompactArrays, resolver);
    } else if (declared == String.class) {
      UTF8.writeString(out, (String) instance);
    } else if (declared.isPrimitive()) {
      writePrimitive(out, declared, instance);
    } else if (declared.isEnum()) {
      UTF8.writeString(out, ((Enum<?>) instance).name());
    } else if (declared == ProtocolSignature.class) {
      UTF8.writeString(out, resolver.wireName(declared));
      ((ProtocolSignature) instance).write(out);
    } else {
      UTF8.writeString(out, resolver.wireName(instance.getClass()));
      ((Writable) instance).write(out);
    }
  }

  /**
   * Reads one value, resolving names with the default resolver.
   *
   * @param in where the bytes come from
   * @return the value, {@code null} for an encoded null or {@code void}
   * @throws java.io.EOFException if {@code in} ends inside the value
   * @throws IOException if the bytes do not decode or name an unknown class
   */
  public static Object readObject(DataInput in) throws IOException {
    return read(in, WireClassResolver.defaultResolver()).get();
  }

  /**
   * Reads one value and its declared class, within the decoding limits of the class comment.
   * Unless {@code in} is the engine's own frame input, it is wrapped so that the nesting count
   * goes on across Writables: a Writable's {@code readFields} is then given the wrapper, a plain
   * {@link DataInput}, not {@code in} itself.
   *
   * @param in where the bytes come from
   * @param resolver resolves the class names the bytes contain
   * @return a new holder with the decoded declared class and value
   * @throws java.io.EOFException if {@code in} ends inside the value
   * @throws IOException if the bytes do not decode, name an unknown class, or break a limit
   */
  public static ObjectWritable read(DataInput in, WireClassResolver resolver) throws IOException {
    return ObjectReader.read(in instanceof DecodingInput decoding ? decoding : new NestingInput(in),
        resolver);
  }

  @Override
  public String toString() {
    String value = instance != null && instance.getClass().isArray()
        ? Arrays.deepToString(new Object[] {instance}) : String.valueOf(instance);
    return "OW[class=" + declaredClass + ",value=" + value + "]";
  }

  /** Maps a box class to its primitive and an enum constant's body class to its enum. */
  private static Class<?> normalize(Class<?> declared) {
    Class<?> primitive = PRIMITIVE_BY_BOX.get(declared);
    if (primitive != null) {
      return primitive;
    }
    if (!declared.isEnum() && declared != Enum.class && Enum.class.isAssignableFrom(declared)) {
      return declared.getSuperclass();
    }
    return declared;
  }

  /** Rejects, before any byte of the value is written, what the encoding cannot carry. */
  private static void checkWritable(Object instance, Class<?> declared)
      throws UnsupportedTypeException {
    Class<?> actual = instance.getClass();
    if (declared.isPrimitive()) {
      if (declared == void.class || PRIMITIVE_BY_BOX.get(actual) == declared) {
        return;
      }
      throw new UnsupportedTypeException(actual, "the value is declared as " + declared.getName());
    }
    if (declared.isArray()) {
      String unencodable = EncodableTypes.unencodableArray(declared);
      if (unencodable != null) { // a reader would refuse it, even empty or all null
        throw new UnsupportedTypeException(declared, "it cannot be written: " + unencodable);
      }
      if (EncodableTypes.dimensions(declared) > MAX_NESTING) {
        throw new UnsupportedTypeException(declared, "it cannot be written: it has "
            + EncodableTypes.dimensions(declared) + " dimensions, more than " + MAX_NESTING);
      }
    } else if (declared != String.class && !declared.isEnum()
        && declared != ProtocolSignature.class && !Writable.class.isAssignableFrom(declared)) {
      throw new UnsupportedTypeException(declared, "only primitives, String, enums, Writables and"
          + " arrays of them can be written (value of type " + actual.getName() + ")");
    }
    if (!declared.isInstance(instance)) {
      throw new UnsupportedTypeException(actual, "the value is declared as " + declared.getName());
    }
    if (!declared.isArray() && declared != String.class && !declared.isEnum()
        && declared != ProtocolSignature.class) {
      Object constructor = NO_ARG_CONSTRUCTORS.get(actual);
      if (!(constructor instanceof Constructor<?>)) {
        throw new UnsupportedTypeException(actual, "a reader could not create it: " + constructor);
      }
    }
  }

  private static void writeElements(DataOutput out, Object array, Class<?> component,
      boolean allowCompactArrays, WireClassResolver resolver) throws IOException {
    int length = Array.getLength(array);
    out.writeInt(length);
    if (component.isPrimitive()) {
      writePrimitiveElements(out, array, component, length);
      return;
    }
    for (int i = 0; i < length; i++) {
      writeObject(out, Array.get(array, i), component, allowCompactArrays, resolver);
    }
  }

  /** The element-by-element layout of a primitive array, with the element name encoded once. */
  private static void writePrimitiveElements(DataOutput out, Object array, Class<?> component,
      int length) throws IOException {
    byte[] name = encodedName(component);
    for (int i = 0; i < length; i++) {
      out.write(name);
      writePrimitive(out, component, Array.get(array, i));
    }
  }

  private static byte[] encodedName(Class<?> primitive) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(10);
    try {
      UTF8.writeString(new DataOutputStream(bytes), primitive.getName());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return bytes.toByteArray();
  }

  private static void writePrimitive(DataOutput out, Class<?> type, Object value)
      throws IOException {
    if (type == boolean.class) {
      out.writeBoolean((Boolean) value);
    } else if (type == byte.class) {
      out.writeByte((Byte) value);
    } else if (type == char.class) {
      out.writeChar((Character) value);
    } else if (type == short.class) {
      out.writeShort((Short) value);
    } else if (type == int.class) {
      out.writeInt((Integer) value);
    } else if (type == long.class) {
      out.writeLong((Long) value);
    } else if (type == float.class) {
      out.writeFloat((Float) value);
    } else if (type == double.class) {
      out.writeDouble((Double) value);
    }
    // void: nothing follows its name
  }
}
