package io.tusk.rpc.writable;

import io.tusk.rpc.RPC;
import io.tusk.rpc.RemoteException;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.VersionedProtocol;
import io.tusk.rpc.client.Client;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything the client side needs to call one protocol method, computed once per {@link Method}
 * (cached per declaring interface): the protocol name and fingerprint the {@link Invocation}
 * carries, the parameter and return types, and how to turn failures into what the method may
 * throw.
 *
 * <p>As in Hadoop's {@code WritableRpcEngine.Invocation}: the protocol name is the one of the
 * method's <em>declaring</em> interface; methods of {@link VersionedProtocol} carry Hadoop's name
 * {@code org.apache.hadoop.ipc.VersionedProtocol}, client version 0 and methods hash 0 (the server
 * routes them to the highest version of the connection's protocol). Thread-safe, immutable.
 */
final class ClientMethod {
  /**
   * One client's {@link ClientMethod}s and the resolver they name classes with: a
   * {@link Client#attribute} of that client, so nothing about the classes a client used is kept
   * JVM-wide. The methods are those of the proxies' interfaces, a bounded set. Thread-safe.
   */
  static final class Cache {
    private final WireClassResolver resolver;
    private final Map<Method, ClientMethod> methods = new ConcurrentHashMap<>();

    /** A cache with a resolver of its own ({@link WireClassResolver#forContextClassLoader()}). */
    Cache() {
      this(WireClassResolver.forContextClassLoader());
    }

    Cache(WireClassResolver resolver) {
      this.resolver = resolver;
    }

    /** {@code client}'s cache, created on first use. */
    static Cache of(Client client) {
      return client.attribute(Cache.class, Cache::new);
    }

    /** The data of {@code method}, computed once per cache. */
    ClientMethod get(Method method) {
      return methods.computeIfAbsent(method, m -> new ClientMethod(m, resolver));
    }
  }

  private final Method method;
  private final Class<?> declaring;
  private final String protocolName;
  private final boolean versionedProtocolMethod;
  private final Long declaringVersion; // null: the declaring interface has no version
  private final int methodsHash;
  private final Class<?>[] parameterTypes;
  private final Class<?> returnType;
  private final Class<?>[] exceptionTypes;
  private final boolean declaresIoException;
  private final WireClassResolver resolver;

  private ClientMethod(Method method, WireClassResolver resolver) {
    this.method = method;
    this.declaring = method.getDeclaringClass();
    this.resolver = resolver;
    this.versionedProtocolMethod = declaring == VersionedProtocol.class;
    this.protocolName = versionedProtocolMethod
        ? WireClassResolver.VERSIONED_PROTOCOL_NAME : RPC.getProtocolName(declaring);
    this.declaringVersion = versionedProtocolMethod ? Long.valueOf(0) : versionOrNull(declaring);
    this.methodsHash = versionedProtocolMethod
        ? 0 : MethodFingerprints.getFingerprint(declaring.getMethods(), resolver);
    this.parameterTypes = method.getParameterTypes();
    this.returnType = method.getReturnType();
    this.exceptionTypes = method.getExceptionTypes();
    boolean io = false;
    for (Class<?> type : exceptionTypes) {
      io |= type.isAssignableFrom(IOException.class);
    }
    this.declaresIoException = io;
  }

  /**
   * The data of {@code method}, computed anew with the {@linkplain
   * WireClassResolver#defaultResolver() default resolver}: for code without a client (tests);
   * proxies use their client's {@link Cache}.
   */
  static ClientMethod of(Method method) {
    return new ClientMethod(method, WireClassResolver.defaultResolver());
  }

  private static Long versionOrNull(Class<?> type) {
    try {
      return RPC.getProtocolVersion(type);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  Method method() {
    return method;
  }

  /**
   * The request for a call with {@code args}, made through a proxy of {@code protocol} speaking
   * {@code clientVersion}: methods of {@code protocol} itself carry {@code clientVersion}, methods
   * inherited from a super-protocol carry that protocol's own version.
   */
  RpcPayload request(Object[] args, Class<?> protocol, long clientVersion) throws IOException {
    long version;
    if (declaring == protocol && !versionedProtocolMethod) {
      version = clientVersion;
    } else if (declaringVersion != null) {
      version = declaringVersion;
    } else {
      throw new IOException("cannot call " + describe() + ": " + declaring.getName()
          + " has no protocol version (annotate it with @ProtocolInfo(protocolVersion = ...) or"
          + " declare a static long versionID)");
    }
    Invocation invocation = new Invocation(protocolName, version, methodsHash, method.getName(),
        parameterTypes, args, resolver);
    return new InvocationPayload(invocation);
  }

  /** The method's return value from a SUCCESS payload. */
  Object decodeReturn(ByteBuffer payload) throws IOException {
    Object value = ObjectWritable.read(new FrameInput(payload), resolver).get();
    if (value == null && returnType.isPrimitive() && returnType != void.class) {
      throw new IOException("the server returned null for " + describe() + ", which returns "
          + returnType.getName());
    }
    return returnType == void.class ? null : value;
  }

  /**
   * What the proxy throws for {@code failure}.
   *
   * <p>A {@link RemoteException}: by default the exception itself, as Hadoop's Writable proxies
   * throw it (a method that does not declare IOException then throws it inside an
   * {@link java.lang.reflect.UndeclaredThrowableException}, as Hadoop's does); with
   * {@code unwrapRemote} ({@link io.tusk.rpc.conf.IpcKeys#CLIENT_WRITABLE_UNWRAP_REMOTE_EXCEPTIONS})
   * it is unwrapped to a declared exception type when one matches (by name or, for loadable
   * IOExceptions, by subclass), as before issue 11.
   *
   * <p>Any other failure: itself when the method may throw it, else an unchecked exception naming
   * the call.
   */
  Throwable translate(Throwable failure, Object remote, boolean unwrapRemote) {
    if (failure instanceof RemoteException re) {
      if (!unwrapRemote) {
        return re;
      }
      Throwable unwrapped = unwrap(re);
      if (unwrapped != null) {
        return unwrapped;
      }
    }
    if (failure instanceof RuntimeException || failure instanceof Error || declares(failure)) {
      return failure;
    }
    String message = describe() + " on " + remote + " failed: " + failure;
    if (failure instanceof IOException io) {
      return new UncheckedIOException(message, io);
    }
    return new IllegalStateException(message, failure);
  }

  private Throwable unwrap(RemoteException re) {
    for (Class<?> type : exceptionTypes) {
      if (re.names(type)) {
        // getExceptionTypes() holds only Throwable subclasses: the compiler enforces it
        Throwable t = re.instantiateAs(type.asSubclass(Throwable.class));
        if (t != null) {
          return t;
        }
      }
    }
    IOException local = re.unwrapRemoteException(); // framework errors, loadable IOExceptions
    return local != re && declares(local) ? local : null;
  }

  private boolean declares(Throwable t) {
    if (t instanceof IOException && declaresIoException) {
      return true;
    }
    for (Class<?> type : exceptionTypes) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private String describe() {
    return declaring.getSimpleName() + "." + method.getName();
  }

  /** An {@link Invocation} as a request payload; prints like Hadoop's Invocation. */
  private record InvocationPayload(Invocation invocation) implements RpcPayload {
    @Override
    public void writeTo(java.io.DataOutputStream out) throws IOException {
      invocation.write(out);
    }

    @Override
    public String toString() {
      return invocation.toString();
    }
  }
}
