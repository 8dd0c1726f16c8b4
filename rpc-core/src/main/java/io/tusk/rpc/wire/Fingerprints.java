package io.tusk.rpc.wire;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Hadoop's method fingerprints ({@code org.apache.hadoop.ipc.ProtocolSignature.getFingerprint}),
 * the one implementation that rpc-core's {@code ProtocolSignature} and both engines use: a 32-bit
 * hash per method, and one per set of methods.
 *
 * <pre>
 * method:  h = name.hashCode() + 31 * wireName(returnType).hashCode()
 *          for each parameter type p:  h = (31 * h) ^ wireName(p).hashCode()
 * set:     sort the method fingerprints ascending, then java.util.Arrays.hashCode(int[])
 * </pre>
 *
 * All arithmetic is Java {@code int} arithmetic (wrapping). The class names are given by the
 * caller: {@link WireNames#of(Class)} for rpc-core, the Writable engine's resolver for its own
 * aliases, and the protobuf engine a function that names protobuf-java's RpcController as Hadoop's
 * shaded one (so it finds the fingerprints a Hadoop peer computes). Stateless and thread-safe.
 */
public final class Fingerprints {
  private Fingerprints() {}

  /** Hadoop's fingerprint of {@code method}, naming its types with {@code wireName}. */
  public static int of(Method method, Function<Class<?>, String> wireName) {
    int hash = method.getName().hashCode();
    hash = hash + 31 * wireName.apply(method.getReturnType()).hashCode();
    for (Class<?> type : method.getParameterTypes()) {
      hash = (31 * hash) ^ wireName.apply(type).hashCode();
    }
    return hash;
  }

  /** The fingerprint of each method, in the given order. */
  public static int[] of(Method[] methods, Function<Class<?>, String> wireName) {
    int[] hashes = new int[methods.length];
    for (int i = 0; i < methods.length; i++) {
      hashes[i] = of(methods[i], wireName);
    }
    return hashes;
  }

  /**
   * Hadoop's hash of a set of method fingerprints (their order does not matter); does not modify
   * {@code fingerprints}.
   */
  public static int ofSet(int[] fingerprints) {
    int[] sorted = fingerprints.clone();
    Arrays.sort(sorted);
    return Arrays.hashCode(sorted);
  }

  /** {@code ofSet(of(methods, wireName))}: the hash of a whole protocol's methods. */
  public static int ofSet(Method[] methods, Function<Class<?>, String> wireName) {
    return ofSet(of(methods, wireName));
  }
}
