package io.tusk.rpc.writable;

import io.tusk.rpc.RPC;
import io.tusk.rpc.RpcEngine;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.conf.IpcKeys;
import io.tusk.rpc.spi.ProxyOptions;
import io.tusk.rpc.spi.ServerEngine;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Hadoop's Writable RPC engine ({@link RpcKind#RPC_WRITABLE}): requests are {@link Invocation}s,
 * answers {@link ObjectWritable}s, byte-compatible with Hadoop 3.4.2's {@code WritableRpcEngine}.
 * It is the default engine of {@link RPC#getProtocolEngine} (listed in
 * {@code META-INF/services/io.tusk.rpc.RpcEngine}).
 *
 * <p>Client: {@link #newProxy} returns a dynamic proxy (see {@link WritableInvocationHandler});
 * a remote error arrives as the {@link io.tusk.rpc.RemoteException} itself, as from Hadoop's
 * proxies (unwrap it with {@link io.tusk.rpc.RemoteException#unwrapRemoteException(Class[])}), or,
 * with {@link IpcKeys#CLIENT_WRITABLE_UNWRAP_REMOTE_EXCEPTIONS} set to true in the proxy's
 * configuration, as the method's declared exception where one matches. Server:
 * {@link #newServerEngine()} gives each server its own half ({@link WritableServerEngine}, with its
 * own class-name cache), which decodes Invocations on handler threads, runs them
 * ({@link WritableRpcInvoker}) and hosts a protocol and its super-protocols.
 *
 * <p>Stateless; one instance serves every proxy.
 */
public final class WritableRpcEngine implements RpcEngine {
  /** For {@link java.util.ServiceLoader} and {@link RPC#getProtocolEngine}. */
  public WritableRpcEngine() {}

  @Override
  public RpcKind kind() {
    return RpcKind.RPC_WRITABLE;
  }

  /** A new server half with its own {@link WireClassResolver} (so its own class cache). */
  @Override
  public ServerEngine<?> newServerEngine() {
    return new WritableServerEngine();
  }

  /**
   * A proxy implementing {@code protocol} that sends {@code options.clientVersion()} and waits
   * {@code options.rpcTimeout()} for each answer; it reads
   * {@link IpcKeys#CLIENT_WRITABLE_UNWRAP_REMOTE_EXCEPTIONS} from {@code options.configuration()}.
   * Writable proxies are not {@code Closeable}: {@link RPC#stopProxy} stops them.
   */
  @Override
  public <T> T newProxy(Class<T> protocol, ConnectionId remote, Client client,
      ProxyOptions options) {
    if (!protocol.isInterface()) {
      throw new IllegalArgumentException(protocol.getName() + " is not an interface");
    }
    return protocol.cast(Proxy.newProxyInstance(protocol.getClassLoader(),
        new Class<?>[] {protocol}, new WritableInvocationHandler(protocol,
            options.clientVersion(), remote, client, options.rpcTimeout(),
            options.configuration().getBoolean(IpcKeys.CLIENT_WRITABLE_UNWRAP_REMOTE_EXCEPTIONS,
                IpcKeys.CLIENT_WRITABLE_UNWRAP_REMOTE_EXCEPTIONS_DEFAULT))));
  }

  /** {@link #newProxy} with the client's timeout. */
  @Override
  public <T> T getProxy(Class<T> protocol, long clientVersion, ConnectionId remote,
      Client client) {
    return newProxy(protocol, remote, client, ProxyOptions.of(clientVersion));
  }

  /**
   * One call of {@code method}, for {@link RPC#call}; completes with the return value. Completing
   * or cancelling the returned future (also through {@code orTimeout}) abandons the call itself,
   * so nothing stays pending on the connection.
   */
  @Override
  public CompletableFuture<Object> callAsync(Method method, Object[] args, ConnectionId remote,
      Client client) {
    ClientMethod call = ClientMethod.Cache.of(client).get(method);
    Class<?> protocol = method.getDeclaringClass();
    try {
      CompletableFuture<ByteBuffer> source = client.callAsync(RpcKind.RPC_WRITABLE,
          call.request(args, protocol, RPC.getProtocolVersion(protocol)), remote);
      CompletableFuture<Object> result = source.thenApply(response -> {
        try {
          return call.decodeReturn(response);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      // A dependent stage does not cancel its source: when the caller gives up on the result
      // before the response came, give up on the call too.
      result.whenComplete((value, failure) -> source.cancel(false));
      return result;
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
