package io.tusk.rpc.writable;

import io.tusk.rpc.ProtocolSignature;
import java.util.Map;

/**
 * Which declared classes the {@link ObjectWritable} encoding carries, shared by its writer and its
 * reader so that the reader refuses, before allocating anything, every declared class the writer
 * would never produce: primitives (a box class travels as its primitive), {@code String}, enums,
 * {@link Writable}s, {@link ProtocolSignature}, and arrays of these. Stateless.
 */
final class EncodableTypes {

  /** Box class to primitive type, {@code Void} to {@code void}. */
  static final Map<Class<?>, Class<?>> PRIMITIVE_BY_BOX = Map.of(
      Boolean.class, boolean.class, Byte.class, byte.class, Character.class, char.class,
      Short.class, short.class, Integer.class, int.class, Long.class, long.class,
      Float.class, float.class, Double.class, double.class, Void.class, void.class);

  /** Says what can be encoded, for messages. */
  static final String ENCODABLE = "only primitives, String, enums, Writables, ProtocolSignature"
      + " and arrays of them are encoded";

  private EncodableTypes() {}

  /**
   * Tells whether values of {@code type} can be the elements at the bottom of an encoded array:
   * a primitive or box type (not void), {@code String}, an enum, a {@link Writable} or
   * {@link ProtocolSignature}.
   */
  static boolean isEncodableLeaf(Class<?> type) {
    if (type.isPrimitive() || PRIMITIVE_BY_BOX.containsKey(type)) {
      return type != void.class && type != Void.class;
    }
    return type == String.class || type.isEnum() || Writable.class.isAssignableFrom(type)
        || type == ProtocolSignature.class;
  }

  /**
   * Returns why an array declared as {@code arrayType} is never encoded, or {@code null} if it
   * can be: its innermost component is not {@link #isEncodableLeaf encodable}.
   */
  static String unencodableArray(Class<?> arrayType) {
    Class<?> leaf = arrayType;
    while (leaf.isArray()) {
      leaf = leaf.getComponentType();
    }
    return isEncodableLeaf(leaf) ? null
        : "its component type " + leaf.getName() + " is not encoded (" + ENCODABLE + ")";
  }

  /** Returns the number of dimensions of {@code type}, 0 if it is no array. */
  static int dimensions(Class<?> type) {
    int dimensions = 0;
    for (Class<?> t = type; t.isArray(); t = t.getComponentType()) {
      dimensions++;
    }
    return dimensions;
  }

  /**
   * Tells whether an element declared as {@code declared} (not the null encoding) belongs in an
   * array of {@code component}, as a writer declares elements: as the component type itself,
   * a primitive for its box type, or a subclass.
   */
  static boolean fits(Class<?> declared, Class<?> component) {
    if (declared == component) {
      return true; // how writers declare elements: the common case, first
    }
    if (component.isPrimitive()) {
      return false;
    }
    Class<?> primitive = PRIMITIVE_BY_BOX.get(component);
    if (primitive != null) {
      return declared == primitive;
    }
    return component.isAssignableFrom(declared);
  }
}
