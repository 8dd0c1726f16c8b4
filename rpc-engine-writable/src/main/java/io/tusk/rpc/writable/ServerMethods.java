package io.tusk.rpc.writable;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the method a Writable call names, as Hadoop does with {@code protocolClass.getMethod(name,
 * parameterClasses)}, and caches the answer per protocol interface, so a call costs one map
 * lookup.
 *
 * <p>One difference: {@link ObjectWritable} writes a boxed parameter ({@code Integer}) under its
 * primitive name ({@code int}), so when no method has exactly the decoded parameter classes, a
 * method of the same name whose parameter types match up to boxing is taken. Only hits are
 * cached, so a client sending endless unknown names cannot grow the cache. Thread-safe.
 */
final class ServerMethods {
  private record Key(String name, List<Class<?>> parameters) {}

  private static final Map<Class<?>, Class<?>> BOX = Map.of(
      boolean.class, Boolean.class, byte.class, Byte.class, char.class, Character.class,
      short.class, Short.class, int.class, Integer.class, long.class, Long.class,
      float.class, Float.class, double.class, Double.class, void.class, Void.class);

  private static final ClassValue<Map<Key, Method>> CACHE = new ClassValue<>() {
    @Override
    protected Map<Key, Method> computeValue(Class<?> type) {
      return new ConcurrentHashMap<>();
    }
  };

  private ServerMethods() {}

  /**
   * The public method {@code name(parameters)} of {@code protocol}.
   *
   * @throws NoSuchMethodException with the JDK's message ({@code Proto.name(int,java.lang.String)})
   *     when there is none
   */
  static Method find(Class<?> protocol, String name, Class<?>[] parameters)
      throws NoSuchMethodException {
    Map<Key, Method> cache = CACHE.get(protocol);
    Key key = new Key(name, List.of(parameters));
    Method method = cache.get(key);
    if (method == null) {
      method = lookup(protocol, name, parameters);
      try {
        method.setAccessible(true); // non-public protocol interfaces and implementations
      } catch (RuntimeException e) {
        // not permitted: invoke() then works only for public types, as in Hadoop
      }
      cache.put(key, method);
    }
    return method;
  }

  /** Entries cached for {@code protocol}; for tests. */
  static int cachedMethods(Class<?> protocol) {
    return CACHE.get(protocol).size();
  }

  private static Method lookup(Class<?> protocol, String name, Class<?>[] parameters)
      throws NoSuchMethodException {
    try {
      return protocol.getMethod(name, parameters);
    } catch (NoSuchMethodException e) {
      for (Method candidate : protocol.getMethods()) {
        if (candidate.getName().equals(name) && matchesUpToBoxing(candidate, parameters)) {
          return candidate;
        }
      }
      throw e;
    }
  }

  private static boolean matchesUpToBoxing(Method method, Class<?>[] parameters) {
    Class<?>[] declared = method.getParameterTypes();
    if (declared.length != parameters.length) {
      return false;
    }
    for (int i = 0; i < declared.length; i++) {
      if (box(declared[i]) != box(parameters[i])) {
        return false;
      }
    }
    return true;
  }

  private static Class<?> box(Class<?> type) {
    return BOX.getOrDefault(type, type);
  }
}
