package io.tusk.rpc.protobuf;

import io.tusk.rpc.ProtocolSignature;
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
 * {@link RpcClientUtil} accepts either. Public so that tools (e.g. {@code tusk list}) can name
 * the fingerprints a server reports.
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
    Class<?>[] params = method.getParameterTypes();
    String[] swapped = new String[params.length];
    boolean hasController = false;
    for (int i = 0; i < params.length; i++) {
      String name = params[i].getName();
      if (name.equals(CONTROLLER)) {
        name = HADOOP_CONTROLLER;
        hasController = true;
      } else if (name.equals(HADOOP_CONTROLLER)) {
        name = CONTROLLER;
        hasController = true;
      }
      swapped[i] = name;
    }
    if (!hasController) {
      return new int[] {declared};
    }
    return new int[] {declared,
        fingerprint(method.getName(), method.getReturnType().getName(), swapped)};
  }

  /** {@link ProtocolSignature#fingerprint(Method)} over type names instead of classes. */
  static int fingerprint(String methodName, String returnType, String[] parameterTypes) {
    int hash = methodName.hashCode();
    hash = hash + 31 * returnType.hashCode();
    for (String type : parameterTypes) {
      hash = 31 * hash ^ type.hashCode();
    }
    return hash;
  }
}
