package io.tusk.rpc.wire;

import io.tusk.rpc.WireName;
import java.util.function.Function;

/**
 * The one place that turns a Java class into the class name Hadoop peers know it by: in method
 * fingerprints, in the exception class names of error answers, and in Writable payloads.
 *
 * <pre>
 * primitive or void        int, void                  (Class.getName())
 * class                    its {@link WireName} if annotated, else Class.getName()
 * array of primitives      [J, [[B                    (Class.getName())
 * array of a class C       "[".repeat(dimensions) + "L" + name(C) + ";"
 * </pre>
 *
 * The Writable engine's resolver names classes by its own alias table instead of the annotation;
 * it passes that as the element naming of {@link #of(Class, Function)} and keeps the array rule
 * from here. Stateless and thread-safe; called by rpc-core and the engines.
 */
public final class WireNames {
  private WireNames() {}

  /** The wire name of {@code type}, naming classes by their {@link WireName}. */
  public static String of(Class<?> type) {
    return of(type, WireNames::annotatedOrClassName);
  }

  /**
   * The wire name of {@code type}, naming each non-array class by {@code className}: arrays get
   * Hadoop's {@code "[L" + name + ";"} form, primitives and arrays of primitives their JVM name.
   *
   * @param className names an ordinary (non-array, non-primitive) class
   */
  public static String of(Class<?> type, Function<Class<?>, String> className) {
    if (!type.isArray()) {
      return type.isPrimitive() ? type.getName() : className.apply(type);
    }
    int dimensions = 0;
    Class<?> component = type;
    while (component.isArray()) {
      dimensions++;
      component = component.getComponentType();
    }
    return component.isPrimitive() ? type.getName()
        : "[".repeat(dimensions) + "L" + className.apply(component) + ";";
  }

  private static String annotatedOrClassName(Class<?> type) {
    WireName name = type.getAnnotation(WireName.class);
    return name != null ? name.value() : type.getName();
  }
}
