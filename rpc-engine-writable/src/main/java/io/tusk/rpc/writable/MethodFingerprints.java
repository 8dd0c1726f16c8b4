package io.tusk.rpc.writable;

import io.tusk.rpc.wire.Fingerprints;
import java.lang.reflect.Method;

/**
 * Hadoop's method fingerprints, from {@code org.apache.hadoop.ipc.ProtocolSignature}: a 32-bit
 * hash per method, and one per protocol. An {@link Invocation} carries the protocol fingerprint of
 * the client's interface as {@code clientMethodsHash}; a server compares it with its own when
 * asked for a {@code ProtocolSignature}.
 *
 * <h2>Algorithm (Hadoop 3.4.2, {@code ProtocolSignature.getFingerprint})</h2>
 * <pre>
 * method:   h = name.hashCode() + 31 * returnType.getName().hashCode()
 *           for each parameter type p:  h = (31 * h) ^ p.getName().hashCode()
 * methods:  sort the method fingerprints ascending, then java.util.Arrays.hashCode(int[])
 * protocol: methods(protocolInterface.getMethods())   -- public methods, inherited ones included
 * </pre>
 * All arithmetic is Java {@code int} arithmetic (wrapping). Class names are wire names from a
 * {@link WireClassResolver}: for ordinary classes that is {@link Class#getName()} ({@code "int"},
 * {@code "[B"}, {@code "java.lang.String"}), and a Tusk stand-in such as {@link Text} hashes as
 * the Hadoop class it replaces ({@code org.apache.hadoop.io.Text}), so an interface using it
 * fingerprints like Hadoop's own. The arithmetic is rpc-core's {@link Fingerprints}; this class
 * supplies the resolver's names. Stateless and thread-safe.
 */
public final class MethodFingerprints {

  private MethodFingerprints() {}

  /**
   * Returns Hadoop's fingerprint of one method, with the default resolver's names.
   *
   * @param method the method
   * @return its fingerprint
   */
  public static int getFingerprint(Method method) {
    return getFingerprint(method, WireClassResolver.defaultResolver());
  }

  /**
   * Returns Hadoop's fingerprint of one method.
   *
   * @param method the method
   * @param names names the return and parameter types
   * @return its fingerprint
   */
  public static int getFingerprint(Method method, WireClassResolver names) {
    return Fingerprints.of(method, names::wireName);
  }

  /**
   * Returns the fingerprint of each method, in the given order.
   *
   * @param methods the methods
   * @return one fingerprint per method
   */
  public static int[] getFingerprints(Method[] methods) {
    return getFingerprints(methods, WireClassResolver.defaultResolver());
  }

  /**
   * Returns the fingerprint of each method, in the given order.
   *
   * @param methods the methods
   * @param names names the return and parameter types
   * @return one fingerprint per method
   */
  public static int[] getFingerprints(Method[] methods, WireClassResolver names) {
    return Fingerprints.of(methods, names::wireName);
  }

  /**
   * Returns Hadoop's fingerprint of a set of methods; the order of {@code methods} does not
   * matter.
   *
   * @param methods the methods, typically {@code protocol.getMethods()}
   * @return the combined fingerprint
   */
  public static int getFingerprint(Method[] methods) {
    return getFingerprint(methods, WireClassResolver.defaultResolver());
  }

  /**
   * Returns Hadoop's fingerprint of a set of methods; the order of {@code methods} does not
   * matter.
   *
   * @param methods the methods, typically {@code protocol.getMethods()}
   * @param names names the return and parameter types
   * @return the combined fingerprint
   */
  public static int getFingerprint(Method[] methods, WireClassResolver names) {
    return Fingerprints.ofSet(methods, names::wireName);
  }

  /**
   * Returns Hadoop's combined fingerprint of method fingerprints: sorted, then
   * {@link java.util.Arrays#hashCode(int[])}. Does not modify {@code fingerprints}.
   *
   * @param fingerprints method fingerprints in any order
   * @return the combined fingerprint
   */
  public static int getFingerprint(int[] fingerprints) {
    return Fingerprints.ofSet(fingerprints);
  }

  /**
   * Returns the fingerprint of a protocol interface as a client sends it:
   * {@code getFingerprint(protocol.getMethods())}.
   *
   * @param protocol the protocol interface
   * @return its fingerprint
   */
  public static int getProtocolFingerprint(Class<?> protocol) {
    return getFingerprint(protocol.getMethods());
  }
}
