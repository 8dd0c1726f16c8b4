package io.tusk.rpc;

import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import java.lang.reflect.InvocationHandler;

/**
 * The invocation handler behind every proxy an engine makes (as Hadoop's interface of the same
 * name): says which connection the proxy's calls use and which {@link Client} carries them, so
 * that {@link RPC#getConnectionIdForProxy}, {@link RPC#getClient} and
 * {@code RpcClientUtil.isMethodSupported} work for a proxy of any engine, Writable or protobuf.
 *
 * <p>Unlike Hadoop's, it is not {@link java.io.Closeable}: proxies are stopped with
 * {@link RPC#stopProxy} (or their own {@code close()}).
 */
public interface RpcInvocationHandler extends InvocationHandler {
  /** The connection (address, protocol, user) this proxy's calls use. */
  ConnectionId getConnectionId();

  /** The client that carries this proxy's calls (shared; not owned by the proxy). */
  Client getClient();
}
