package io.tusk.rpc.writable;

import io.tusk.rpc.NamedRequest;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Objects;

/**
 * One method call of the Writable RPC engine: the request payload of an {@code RPC_WRITABLE}
 * frame, byte-compatible with Hadoop's {@code WritableRpcEngine.Invocation}.
 *
 * <h2>Layout</h2>
 * <pre>
 * +-------------------------+  int64, always {@value #WRITABLE_RPC_VERSION} when Tusk or Hadoop 3.x writes it
 * | rpcVersion              |
 * +-------------------------+
 * | protocol name  (UTF8)   |  the declaring interface's protocol name (@ProtocolInfo or class name)
 * +-------------------------+
 * | method name    (UTF8)   |
 * +-------------------------+
 * | clientVersion  (int64)  |  the protocol version the client speaks
 * +-------------------------+
 * | clientMethodsHash(int32)|  {@link MethodFingerprints#getProtocolFingerprint} of the interface
 * +-------------------------+
 * | parameterCount (int32)  |
 * +-------------------------+
 * | parameter 0..n-1        |  each an {@link ObjectWritable} declared as the method's parameter
 * +-------------------------+  type, with compact primitive arrays (allowCompactArrays = true)
 * </pre>
 * UTF8 is {@link UTF8} (uint16 length + bytes); integers are big-endian. Hadoop's client sends
 * {@code clientVersion = 0} and {@code clientMethodsHash = 0} for methods declared by
 * {@code VersionedProtocol}; deciding that is the engine's job, through
 * {@link #Invocation(String, long, int, String, Class[], Object[], WireClassResolver)}.
 *
 * <h2>Who uses it</h2>
 * The client side builds one from a {@link Method} and its arguments
 * ({@link #forMethod(Method, Object[], String, long)}) and writes it. The server side creates an
 * empty one ({@link #Invocation(WireClassResolver)}), calls {@link #readFields(DataInput)} and
 * reads the method name, parameter classes and parameters back; it should reject an
 * {@link #getRpcVersion() rpcVersion} other than {@value #WRITABLE_RPC_VERSION}, as Hadoop does.
 *
 * <p>Matches {@code WritableRpcEngine.Invocation.write} and {@code readFields} in Hadoop 3.4.2.
 * Mutable (it is a {@link Writable}), not thread-safe.
 */
public final class Invocation implements Writable, NamedRequest {

  /** Hadoop's {@code WritableRpcEngine.writableRpcVersion}: 2 ("added declared class"). */
  public static final long WRITABLE_RPC_VERSION = 2L;

  /** A Java method has at most 255 parameters; a larger count on the wire is corrupt. */
  static final int MAX_PARAMETERS = 255;

  private static final Class<?>[] NO_CLASSES = new Class<?>[0];
  private static final Object[] NO_OBJECTS = new Object[0];

  private final WireClassResolver resolver;
  private long rpcVersion = WRITABLE_RPC_VERSION;
  private String protocolName;
  private String methodName;
  private long clientVersion;
  private int clientMethodsHash;
  private Class<?>[] parameterClasses = NO_CLASSES;
  private Object[] parameters = NO_OBJECTS;

  /** Creates an empty invocation to read into, resolving class names with the default resolver. */
  public Invocation() {
    this(WireClassResolver.defaultResolver());
  }

  /**
   * Creates an empty invocation to read into.
   *
   * @param resolver resolves the parameter class names the client sends
   */
  public Invocation(WireClassResolver resolver) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  /**
   * Creates an invocation from its parts.
   *
   * @param protocolName the protocol name
   * @param clientVersion the protocol version the client speaks
   * @param clientMethodsHash the fingerprint of the client's protocol interface
   * @param methodName the method name
   * @param parameterClasses the declared parameter types
   * @param parameters the arguments, one per parameter type ({@code null} means none)
   * @param resolver names the parameter classes
   * @throws IllegalArgumentException if the argument count does not match, or exceeds 255
   */
  public Invocation(String protocolName, long clientVersion, int clientMethodsHash,
      String methodName, Class<?>[] parameterClasses, Object[] parameters,
      WireClassResolver resolver) {
    this.protocolName = Objects.requireNonNull(protocolName, "protocolName");
    this.clientVersion = clientVersion;
    this.clientMethodsHash = clientMethodsHash;
    this.methodName = Objects.requireNonNull(methodName, "methodName");
    this.parameterClasses = parameterClasses.clone();
    this.parameters = parameters == null ? NO_OBJECTS : parameters.clone();
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    if (this.parameters.length != this.parameterClasses.length) {
      throw new IllegalArgumentException(methodName + " takes " + this.parameterClasses.length
          + " arguments, got " + this.parameters.length);
    }
    if (this.parameters.length > MAX_PARAMETERS) {
      throw new IllegalArgumentException("too many parameters: " + this.parameters.length);
    }
  }

  /**
   * Builds the invocation a client sends for {@code method(args)}, with
   * {@code clientMethodsHash} = the fingerprint of {@code method.getDeclaringClass()} (see
   * {@link MethodFingerprints}).
   *
   * @param method the interface method called
   * @param args its arguments ({@code null} for none, as a dynamic proxy passes them)
   * @param protocolName the protocol name of the declaring interface
   * @param clientVersion the protocol version of the declaring interface
   * @return the invocation, using the default resolver
   */
  public static Invocation forMethod(Method method, Object[] args, String protocolName,
      long clientVersion) {
    WireClassResolver names = WireClassResolver.defaultResolver();
    int hash = MethodFingerprints.getFingerprint(method.getDeclaringClass().getMethods(), names);
    return new Invocation(protocolName, clientVersion, hash, method.getName(),
        method.getParameterTypes(), args, names);
  }

  /**
   * Returns the Writable RPC version the sender used.
   *
   * @return {@value #WRITABLE_RPC_VERSION} unless a peer sent something else
   */
  public long getRpcVersion() {
    return rpcVersion;
  }

  /**
   * Returns the protocol name.
   *
   * @return the declaring interface's protocol name
   */
  public String getProtocolName() {
    return protocolName;
  }

  /**
   * Returns the method name.
   *
   * @return the name of the method called
   */
  public String getMethodName() {
    return methodName;
  }

  /** The method name, for the server's per-method metrics and logs. */
  @Override
  public String methodName() {
    return getMethodName();
  }

  /** The protocol name, for server interceptors. */
  @Override
  public String protocolName() {
    return getProtocolName();
  }

  /**
   * Returns the protocol version the client speaks.
   *
   * @return the client's protocol version
   */
  public long getClientVersion() {
    return clientVersion;
  }

  /**
   * Returns the fingerprint of the client's protocol interface.
   *
   * @return the client methods hash
   */
  public int getClientMethodsHash() {
    return clientMethodsHash;
  }

  /**
   * Returns the declared parameter types, as given or as decoded.
   *
   * @return a copy of the parameter classes
   */
  public Class<?>[] getParameterClasses() {
    return parameterClasses.clone();
  }

  /**
   * Returns the arguments, as given or as decoded.
   *
   * @return a copy of the parameters
   */
  public Object[] getParameters() {
    return parameters.clone();
  }

  @Override
  public void write(DataOutput out) throws IOException {
    if (methodName == null) {
      throw new IllegalStateException("Invocation has nothing to write");
    }
    out.writeLong(rpcVersion);
    UTF8.writeString(out, protocolName);
    UTF8.writeString(out, methodName);
    out.writeLong(clientVersion);
    out.writeInt(clientMethodsHash);
    out.writeInt(parameterClasses.length);
    for (int i = 0; i < parameterClasses.length; i++) {
      ObjectWritable.writeObject(out, parameters[i], parameterClasses[i], true, resolver);
    }
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    rpcVersion = in.readLong();
    protocolName = UTF8.readString(in);
    methodName = UTF8.readString(in);
    clientVersion = in.readLong();
    clientMethodsHash = in.readInt();
    int count = in.readInt();
    if (count < 0 || count > MAX_PARAMETERS) {
      throw new IOException("Invocation of " + methodName + " has an impossible parameter count "
          + count + " (0.." + MAX_PARAMETERS + ")");
    }
    Class<?>[] classes = new Class<?>[count];
    Object[] values = new Object[count];
    for (int i = 0; i < count; i++) {
      ObjectWritable parameter = ObjectWritable.read(in, resolver);
      classes[i] = parameter.getDeclaredClass();
      values[i] = parameter.get();
    }
    parameterClasses = classes;
    parameters = values;
  }

  /** Returns Hadoop's format: {@code method(arg, ...), rpc version=2, client version=..., ...}. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder().append(methodName).append('(');
    for (int i = 0; i < parameters.length; i++) {
      text.append(i == 0 ? "" : ", ").append(parameters[i]);
    }
    return text.append("), rpc version=").append(rpcVersion)
        .append(", client version=").append(clientVersion)
        .append(", methodsFingerPrint=").append(clientMethodsHash)
        .toString();
  }
}
