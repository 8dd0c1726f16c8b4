package io.tusk.rpc.writable;

import io.tusk.rpc.ProtocolSignature;
import io.tusk.rpc.VersionedProtocol;
import io.tusk.rpc.internal.ClassLoaders;
import io.tusk.rpc.wire.HadoopNames;
import io.tusk.rpc.wire.WireNames;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Translates between Java classes and the class names that travel inside Writable payloads, and
 * loads the classes a peer names. {@link ObjectWritable} and {@link Invocation} use one on every
 * read and write. Each resolver has its own cache, so a server or client should have its own
 * ({@link #forContextClassLoader()}, or {@link #forClassLoader(ClassLoader)} for classes of a
 * loader of its own): then a peer naming many classes fills only that resolver's cache. The
 * JVM-wide {@link #defaultResolver()} is for code that has no server or client to hang one on
 * (static helpers such as {@link MethodFingerprints}, the no-resolver constructors of
 * {@link ObjectWritable} and {@link Invocation}); its cache is shared by all of them.
 *
 * <h2>Names on the wire</h2>
 * A name is what {@link Class#getName()} returns, with two twists:
 * <ul>
 *   <li>Primitive types and {@code void} are their keywords ({@code "int"}, {@code "void"}),
 *       Hadoop's {@code PRIMITIVE_NAMES}.</li>
 *   <li>Tusk's own stand-ins for Hadoop classes carry Hadoop's names, so a Hadoop peer can read
 *       them: {@link Writable} is {@code org.apache.hadoop.io.Writable}, {@link Text} is
 *       {@code org.apache.hadoop.io.Text}, {@link ObjectWritable} is
 *       {@code org.apache.hadoop.io.ObjectWritable}; rpc-core's {@link VersionedProtocol} and
 *       {@link ProtocolSignature} are {@code org.apache.hadoop.ipc.VersionedProtocol} and
 *       {@code org.apache.hadoop.ipc.ProtocolSignature} (so method fingerprints match Hadoop's). Array names follow
 *       ({@code Text[]} is {@code "[Lorg.apache.hadoop.io.Text;"}). More pairs can be added with
 *       {@link #withAlias(String, Class)}.</li>
 * </ul>
 *
 * <h2>Loading</h2>
 * A name that is neither a keyword nor an alias is loaded with {@code Class.forName(name, false,
 * loader)}, so array names work and no static initializer runs merely because a peer named a
 * class. The loader is the one given to {@link #forClassLoader(ClassLoader)}, or, for
 * {@link #defaultResolver()}, the calling thread's context class loader, falling back to the loader
 * of this library. Successful lookups are cached per (loader, name) in a bounded cache of this
 * resolver ({@link ClassCache}: recently used classes survive a peer naming endless others);
 * failures are not cached.
 *
 * <p>Immutable apart from its cache; thread-safe.
 */
public final class WireClassResolver {

  /** Hadoop's name for {@link Writable}; also the declared class of every encoded {@code null}. */
  public static final String WRITABLE_NAME = WireNames.of(Writable.class);

  /** Hadoop's marker class for {@code null}, written after {@link #WRITABLE_NAME}. */
  public static final String NULL_INSTANCE_NAME = "org.apache.hadoop.io.ObjectWritable$NullInstance";

  /** Hadoop's declared class for a compact primitive array (RPC request parameters only). */
  public static final String ARRAY_PRIMITIVE_NAME =
      "org.apache.hadoop.io.ArrayPrimitiveWritable$Internal";

  /** Most entries the lookup cache holds: two generations of half as many. */
  static final int MAX_CACHED = 4096;

  private static final Map<String, Class<?>> PRIMITIVES = Map.of(
      "boolean", boolean.class, "byte", byte.class, "char", char.class, "short", short.class,
      "int", int.class, "long", long.class, "float", float.class, "double", double.class,
      "void", void.class);

  /** Hadoop's name for {@link VersionedProtocol}, also the protocol name of its methods' calls. */
  public static final String VERSIONED_PROTOCOL_NAME = HadoopNames.VERSIONED_PROTOCOL;

  /** Hadoop's name for {@link ProtocolSignature}. */
  public static final String PROTOCOL_SIGNATURE_NAME = HadoopNames.PROTOCOL_SIGNATURE;

  /** Tusk's stand-ins, each under the name of its {@link io.tusk.rpc.WireName}. */
  private static final Map<String, Class<?>> BUILT_IN_ALIASES = aliasesOf(Writable.class,
      Text.class, ObjectWritable.class, VersionedProtocol.class, ProtocolSignature.class);

  private static final WireClassResolver DEFAULT = new WireClassResolver(null, BUILT_IN_ALIASES);

  private final ClassLoader loader; // null: the thread context loader at each lookup
  private final Map<String, Class<?>> classByWireName;
  private final Map<Class<?>, String> wireNameByClass;
  private final Function<Class<?>, String> classNames = this::aliasOrClassName;
  private final ClassCache cache = new ClassCache(MAX_CACHED / 2);

  private WireClassResolver(ClassLoader loader, Map<String, Class<?>> aliases) {
    this.loader = loader;
    this.classByWireName = Map.copyOf(aliases);
    Map<Class<?>, String> reverse = new HashMap<>();
    aliases.forEach((name, type) -> reverse.put(type, name));
    this.wireNameByClass = Map.copyOf(reverse);
  }

  /**
   * Returns the shared resolver that loads through the calling thread's context class loader
   * (or this library's loader when a thread has none) and knows the built-in aliases. Its cache
   * is shared by every caller in the JVM: servers and clients use their own
   * ({@link #forContextClassLoader()}).
   *
   * @return the default resolver
   */
  public static WireClassResolver defaultResolver() {
    return DEFAULT;
  }

  /**
   * Returns a new resolver that loads like {@link #defaultResolver()} (the calling thread's
   * context class loader, else this library's) and knows the built-in aliases, but has a cache of
   * its own: the one a server or client should use.
   *
   * @return a new resolver with its own cache
   */
  public static WireClassResolver forContextClassLoader() {
    return new WireClassResolver(null, BUILT_IN_ALIASES);
  }

  /**
   * Returns a resolver that loads through {@code loader} and knows the built-in aliases.
   *
   * @param loader the class loader for names the peer sends
   * @return a new resolver with its own cache
   */
  public static WireClassResolver forClassLoader(ClassLoader loader) {
    return new WireClassResolver(Objects.requireNonNull(loader, "loader"), BUILT_IN_ALIASES);
  }

  /**
   * Returns a copy of this resolver in which {@code type} travels as {@code wireName}, for example
   * a Tusk class standing in for a Hadoop class of another name.
   *
   * @param wireName the name used on the wire
   * @param type the local class
   * @return a new resolver with its own cache
   * @throws IllegalArgumentException if {@code type} is primitive or an array
   */
  public WireClassResolver withAlias(String wireName, Class<?> type) {
    Objects.requireNonNull(wireName, "wireName");
    if (type.isPrimitive() || type.isArray()) {
      throw new IllegalArgumentException("Only classes can have an alias, not " + type.getName());
    }
    Map<String, Class<?>> aliases = new HashMap<>(classByWireName);
    aliases.values().remove(type);
    aliases.put(wireName, type);
    return new WireClassResolver(loader, aliases);
  }

  /**
   * Returns the name under which {@code type} travels.
   *
   * @param type a class, primitive type, {@code void} or array type
   * @return its wire name
   */
  public String wireName(Class<?> type) {
    return WireNames.of(type, classNames);
  }

  /**
   * Returns the class a peer means by {@code wireName}.
   *
   * @param wireName a keyword, alias, class name or array name
   * @return the class
   * @throws IOException if no such class can be loaded; the message names it
   */
  public Class<?> resolve(String wireName) throws IOException {
    Class<?> known = PRIMITIVES.get(wireName);
    if (known == null) {
      known = classByWireName.get(wireName);
    }
    if (known != null) {
      return known;
    }
    ClassLoader effective = effectiveLoader();
    ClassCache.Key key = new ClassCache.Key(effective, wireName);
    Class<?> cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    Class<?> loaded = wireName.startsWith("[") ? loadArray(wireName) : load(wireName, effective);
    cache.put(key, loaded);
    return loaded;
  }

  private String aliasOrClassName(Class<?> type) {
    String alias = wireNameByClass.get(type);
    return alias != null ? alias : type.getName();
  }

  private static Map<String, Class<?>> aliasesOf(Class<?>... standIns) {
    Map<String, Class<?>> aliases = new HashMap<>();
    for (Class<?> type : standIns) {
      aliases.put(WireNames.of(type), type);
    }
    return Map.copyOf(aliases);
  }

  /** Returns the number of cached lookups; for tests. */
  int cachedLookups() {
    return cache.size();
  }

  private Class<?> loadArray(String wireName) throws IOException {
    int dimensions = 0;
    while (dimensions < wireName.length() && wireName.charAt(dimensions) == '[') {
      dimensions++;
    }
    if (dimensions > 255) {
      throw new IOException("Array class name has more than 255 dimensions: " + wireName);
    }
    String element = wireName.substring(dimensions);
    Class<?> component;
    if (element.length() == 1) {
      component = primitiveByDescriptor(element.charAt(0), wireName);
    } else if (element.length() > 2 && element.startsWith("L") && element.endsWith(";")
        && element.charAt(1) != '[') { // "[L[I;" is no JVM name, and would recurse per level
      component = resolve(element.substring(1, element.length() - 1));
      if (component.isPrimitive()) {
        throw new IOException("Malformed array class name: " + wireName);
      }
    } else {
      throw new IOException("Malformed array class name: " + wireName);
    }
    Class<?> type = component;
    for (int i = 0; i < dimensions; i++) {
      type = type.arrayType();
    }
    return type;
  }

  private static Class<?> primitiveByDescriptor(char descriptor, String wireName)
      throws IOException {
    switch (descriptor) {
      case 'Z': return boolean.class;
      case 'B': return byte.class;
      case 'C': return char.class;
      case 'S': return short.class;
      case 'I': return int.class;
      case 'J': return long.class;
      case 'F': return float.class;
      case 'D': return double.class;
      default: throw new IOException("Malformed array class name: " + wireName);
    }
  }

  private static Class<?> load(String name, ClassLoader loader) throws IOException {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IOException("readObject can't find class " + name, e);
    }
  }

  private ClassLoader effectiveLoader() {
    return loader != null ? loader : ClassLoaders.context(WireClassResolver.class);
  }
}
