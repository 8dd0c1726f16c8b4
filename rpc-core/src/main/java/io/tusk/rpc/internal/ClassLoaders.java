package io.tusk.rpc.internal;

/**
 * The class loader for class names that arrive from outside (configuration values, exception
 * class names, Writable payloads, protocol names a peer asks about): the calling thread's context
 * class loader, which an application server or a plugin host sets to the application's loader,
 * else the loader of the library doing the lookup. Not an API; stateless and thread-safe.
 */
public final class ClassLoaders {
  private ClassLoaders() {}

  /** The calling thread's context class loader, else rpc-core's loader. */
  public static ClassLoader context() {
    return context(ClassLoaders.class);
  }

  /**
   * The calling thread's context class loader, else {@code caller}'s loader (an engine passes a
   * class of its own, so that without a context loader it still sees what its module sees).
   */
  public static ClassLoader context(Class<?> caller) {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : caller.getClassLoader();
  }
}
