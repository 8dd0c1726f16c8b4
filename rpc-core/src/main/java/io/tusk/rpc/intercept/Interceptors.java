package io.tusk.rpc.intercept;

import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.conf.IpcKeys;
import io.tusk.rpc.internal.ClassLoaders;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;

/**
 * Interceptors named in configuration: {@link IpcKeys#CLIENT_INTERCEPTORS}
 * ({@code tusk.client.interceptors}) and {@link IpcKeys#SERVER_INTERCEPTORS}
 * ({@code tusk.server.interceptors}), comma-separated class names, outermost first, each with a
 * public no-argument constructor, loaded through the thread's context class loader. This is how
 * code that only has a {@link Configuration} (the {@code RPC} facade, the {@code tusk} command)
 * gets interceptors; code that builds its own {@code Client} or {@code Server} can also add
 * instances with the builders' {@code interceptor(...)}. Stateless.
 */
public final class Interceptors {
  private Interceptors() {}

  /** The class names listed under {@code key}, trimmed, empty entries skipped. */
  public static List<String> classNames(Configuration conf, String key) {
    String value = conf.get(key);
    List<String> names = new ArrayList<>();
    if (value == null) {
      return names;
    }
    for (String part : value.split(",")) {
      String name = part.trim();
      if (!name.isEmpty()) {
        names.add(name);
      }
    }
    return names;
  }

  /** New instances of the client interceptors {@code conf} names, outermost first. */
  public static List<ClientInterceptor> client(Configuration conf) {
    return instances(classNames(conf, IpcKeys.CLIENT_INTERCEPTORS), ClientInterceptor.class,
        IpcKeys.CLIENT_INTERCEPTORS);
  }

  /** New instances of the server interceptors {@code conf} names, outermost first. */
  public static List<ServerInterceptor> server(Configuration conf) {
    return instances(classNames(conf, IpcKeys.SERVER_INTERCEPTORS), ServerInterceptor.class,
        IpcKeys.SERVER_INTERCEPTORS);
  }

  /**
   * One new instance of each class in {@code names}.
   *
   * @throws IllegalArgumentException naming {@code key} and the class when a class is missing,
   *     is not a {@code type}, or cannot be created with its no-argument constructor
   */
  public static <T> List<T> instances(List<String> names, Class<T> type, String key) {
    List<T> result = new ArrayList<>(names.size());
    for (String name : names) {
      Class<?> c;
      try {
        c = Class.forName(name, true, ClassLoaders.context(Interceptors.class));
      } catch (ClassNotFoundException | LinkageError e) {
        throw new IllegalArgumentException(key + ": cannot load interceptor class " + name
            + ": " + e, e);
      }
      if (!type.isAssignableFrom(c)) {
        throw new IllegalArgumentException(key + ": " + name + " is not a " + type.getName());
      }
      try {
        result.add(type.cast(c.getConstructor().newInstance()));
      } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
        throw new IllegalArgumentException(key + ": " + name
            + " needs a public no-argument constructor (" + e + ")", e);
      } catch (InvocationTargetException e) {
        throw new IllegalArgumentException(key + ": the constructor of " + name + " failed: "
            + e.getCause(), e.getCause());
      }
    }
    return result;
  }
}
