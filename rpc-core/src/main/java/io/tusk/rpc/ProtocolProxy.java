package io.tusk.rpc;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A client proxy together with what the server said about its methods, as Hadoop's class of the
 * same name: {@link RPC#getProtocolProxy} returns one, {@link #getProxy()} is what callers use, and
 * {@link #isMethodSupported} tells whether the server has a given method.
 *
 * <p>The server's method fingerprints are fetched lazily, on the first {@code isMethodSupported}
 * call, through {@link VersionedProtocol#getProtocolSignature}; so only protocols that extend
 * {@link VersionedProtocol} support the check. For the others every method counts as supported.
 * Fingerprints are {@link ProtocolSignature#fingerprint(Method) Hadoop's}. Thread-safe.
 *
 * @param <T> the protocol interface
 */
public class ProtocolProxy<T> {
  private final Class<T> protocol;
  private final T proxy;
  private final boolean supportServerMethodCheck;
  private boolean serverMethodsFetched;
  private Set<Integer> serverMethods; // null after fetching: the server has the client's methods

  /**
   * @param protocol the protocol interface
   * @param proxy the client proxy implementing it
   * @param supportServerMethodCheck whether the server can be asked for its methods (the protocol
   *     extends {@link VersionedProtocol})
   */
  public ProtocolProxy(Class<T> protocol, T proxy, boolean supportServerMethodCheck) {
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    this.proxy = Objects.requireNonNull(proxy, "proxy");
    this.supportServerMethodCheck = supportServerMethodCheck
        && VersionedProtocol.class.isAssignableFrom(protocol);
  }

  /** The client proxy. */
  public T getProxy() {
    return proxy;
  }

  /** The protocol interface. */
  public Class<T> getProtocol() {
    return protocol;
  }

  /**
   * Whether the server has the method {@code methodName(parameterTypes)} of the protocol. The first
   * call asks the server (one RPC); later calls answer from what it said.
   *
   * @throws IOException when the protocol has no such method, when asking the server fails, or
   *     with {@link RPC.VersionMismatch} when the server serves another version of the protocol
   */
  public synchronized boolean isMethodSupported(String methodName, Class<?>... parameterTypes)
      throws IOException {
    if (!supportServerMethodCheck) {
      return true;
    }
    Method method;
    try {
      method = protocol.getMethod(methodName, parameterTypes);
    } catch (NoSuchMethodException e) {
      throw new IOException(e);
    }
    if (!serverMethodsFetched) {
      fetchServerMethods(method);
    }
    return serverMethods == null
        || serverMethods.contains(ProtocolSignature.fingerprint(method));
  }

  private void fetchServerMethods(Method method) throws IOException {
    Class<?> declaring = method.getDeclaringClass();
    long clientVersion = RPC.getProtocolVersion(
        declaring == VersionedProtocol.class ? protocol : declaring);
    int clientMethodsHash = ProtocolSignature.fingerprint(declaring.getMethods());
    ProtocolSignature server = ((VersionedProtocol) proxy).getProtocolSignature(
        RPC.getProtocolName(protocol), clientVersion, clientMethodsHash);
    if (server.version() != clientVersion) {
      throw new RPC.VersionMismatch(protocol.getName(), clientVersion, server.version());
    }
    if (server.methods() != null) {
      Set<Integer> methods = new HashSet<>();
      for (int m : server.methods()) {
        methods.add(m);
      }
      serverMethods = methods;
    }
    serverMethodsFetched = true;
  }

  @Override
  public String toString() {
    return "ProtocolProxy[" + protocol.getName() + "]";
  }
}
