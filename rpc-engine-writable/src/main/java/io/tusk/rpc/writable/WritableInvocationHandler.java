package io.tusk.rpc.writable;

import io.tusk.rpc.RpcInvocationHandler;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * The client side of the Writable engine: behind each proxy, turns a method call into an
 * {@link Invocation}, sends it with {@link Client#call} on the proxy's connection and decodes the
 * returned {@link ObjectWritable}. Per-method data is cached in {@link ClientMethod}; the methods
 * of {@link Object} are answered locally (Hadoop would send them to the server). A remote error
 * is thrown as the {@link io.tusk.rpc.RemoteException} itself, as Hadoop's proxies throw it,
 * unless the proxy was made with
 * {@link io.tusk.rpc.conf.IpcKeys#CLIENT_WRITABLE_UNWRAP_REMOTE_EXCEPTIONS} (see
 * {@link ClientMethod#translate}). As an {@link RpcInvocationHandler} it tells
 * {@link io.tusk.rpc.RPC#getConnectionIdForProxy} and {@code RpcClientUtil} where the proxy's
 * calls go. Thread-safe.
 */
final class WritableInvocationHandler implements RpcInvocationHandler {
  private final Class<?> protocol;
  private final long clientVersion;
  private final ConnectionId remote;
  private final Client client;
  /** Each call's deadline; null: the client's configured RPC timeout. */
  private final Duration timeout;
  /** Whether remote errors are unwrapped to declared types (Tusk's old way) or thrown as is. */
  private final boolean unwrapRemote;
  /** The client's per-method data and class resolver (shared by its proxies). */
  private final ClientMethod.Cache methods;

  WritableInvocationHandler(Class<?> protocol, long clientVersion, ConnectionId remote,
      Client client, Duration timeout, boolean unwrapRemote) {
    this.protocol = protocol;
    this.clientVersion = clientVersion;
    this.remote = remote;
    this.client = client;
    this.timeout = timeout;
    this.unwrapRemote = unwrapRemote;
    this.methods = ClientMethod.Cache.of(client);
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return objectMethod(proxy, method, args);
    }
    ClientMethod call = methods.get(method);
    try {
      RpcPayload request = call.request(args, protocol, clientVersion);
      ByteBuffer response = timeout == null
          ? client.call(RpcKind.RPC_WRITABLE, request, remote)
          : client.call(RpcKind.RPC_WRITABLE, request, remote, timeout);
      return call.decodeReturn(response);
    } catch (Throwable t) {
      throw call.translate(t, remote.address(), unwrapRemote);
    }
  }

  @Override
  public ConnectionId getConnectionId() {
    return remote;
  }

  @Override
  public Client getClient() {
    return client;
  }

  private Object objectMethod(Object proxy, Method method, Object[] args) {
    switch (method.getName()) {
      case "equals":
        return args[0] != null && Proxy.isProxyClass(args[0].getClass())
            && Proxy.getInvocationHandler(args[0]) == this;
      case "hashCode":
        return System.identityHashCode(this);
      case "toString":
        return "Writable proxy of " + protocol.getName() + " (version " + clientVersion + ") at "
            + remote;
      default:
        throw new UnsupportedOperationException(method.toString());
    }
  }
}
