package io.tusk.rpc.protobuf;

import io.tusk.rpc.ProtocolSignature;
import io.tusk.rpc.wire.Fingerprints;
import io.tusk.rpc.wire.WireNames;
import java.lang.reflect.Method;

/**
 * Method fingerprints ({@link ProtocolSignature#fingerprint(Method)}) as both protobuf runtimes
 * would compute them.
 *
 * <p>A fingerprint hashes the names of the parameter types, so the same PB method has one
 * fingerprint with protobuf-java's {@code com.google.protobuf.RpcController} (Tusk) and another
 * with Hadoop's shaded {@code org.apache.hadoop.thirdparty.protobuf.RpcController}. Hadoop's
 * {@code RpcClientUtil.isMethodSupported} looks for its own fingerprint among the server's, so the
 * meta-info service reports both for every method taking either controller, and Tusk's
 * {@link RpcClientUtil} accepts either. The arithmetic is rpc-core's {@link Fingerprints}; this
 * class only names the controller as the other runtime does. Public so that tools (e.g.
 * {@code tusk list}) can name the fingerprints a server reports.
 */
public final class MethodFingerprints {
  static final String CONTROLLER = "com.google.protobuf.RpcController";
  static final String HADOOP_CONTROLLER = "org.apache.hadoop.thirdparty.protobuf.RpcController";

  private MethodFingerprints() {}

  /**
   * The fingerprint of {@code method} as declared, then, when a parameter is one of the two
   * RpcController types, the fingerprint with that parameter named as the other one.
   */
  public static int[] of(Method method) {
    int declared = ProtocolSignature.fingerprint(method);
    boolean hasController = false;
    for (Class<?> type : method.getParameterTypes()) {
      hasController |= otherController(type.getName()) != null;
    }
    if (!hasController) {
      return new int[] {declared};
    }
    return new int[] {declared, Fingerprints.of(method, MethodFingerprints::swappingController)};
  }

  /** {@link WireNames#of(Class)}, except that either RpcController is named as the other one. */
  static String swappingController(Class<?> type) {
    String name = WireNames.of(type);
    String other = otherController(name);
    return other != null ? other : name;
  }

  private static String otherController(String name) {
    if (name.equals(CONTROLLER)) {
      return HADOOP_CONTROLLER;
    }
    return name.equals(HADOOP_CONTROLLER) ? CONTROLLER : null;
  }
}
