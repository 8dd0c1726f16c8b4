package io.tusk.rpc;

import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.spi.ClientEngine;
import io.tusk.rpc.spi.ServerEngine;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;

/**
 * An RPC engine as the {@link RPC} facade knows it, with Hadoop's name: the pairing of an engine's
 * client half (this, a {@link ClientEngine}) and its server half ({@link #newServerEngine()}),
 * plus the parallel calls of {@link RPC#call}.
 *
 * <p>Engines live in their own modules and are found by class name (the setting
 * {@code rpc.engine.<protocol class name>}, see {@link RPC#getProtocolEngine}) or, for the default
 * of a kind, through {@link java.util.ServiceLoader} ({@code META-INF/services/io.tusk.rpc.RpcEngine},
 * scanned once by {@link EngineRegistry#load}). An implementation must have a public no-argument
 * constructor and be stateless or thread-safe: one instance serves every proxy; each server gets
 * its own {@link #newServerEngine() server half}.
 *
 * <p>The engine SPI proper is {@link io.tusk.rpc.spi}: an engine that is only hosted on core
 * {@link io.tusk.rpc.server.Server}s and called through its own proxies needs nothing of this
 * interface.
 */
public interface RpcEngine extends ClientEngine {
  /** The wire kind this engine's requests carry; the same as {@link #kind()}. */
  default RpcKind rpcKind() {
    return kind();
  }

  /**
   * A new server half of this engine, for one server: it may hold per-server state (the Writable
   * engine's class-name cache). Every instance has the same {@link ServerEngine#id() id}.
   */
  ServerEngine<?> newServerEngine();

  /**
   * {@link #newProxy} when nobody needs to know that the proxy was closed: the proxy does not own
   * {@code client}, whoever created the client closes it.
   */
  default <T> T getProxy(Class<T> protocol, long clientVersion, ConnectionId remote, Client client)
      throws IOException {
    return newProxy(protocol, remote, client, io.tusk.rpc.spi.ProxyOptions.of(clientVersion));
  }

  /**
   * Starts one call of {@code method} with {@code args} on {@code remote} and completes with the
   * method's return value (a box for primitives, {@code null} for void). Used by
   * {@link RPC#call(Method, Object[][], java.net.InetSocketAddress[],
   * io.tusk.rpc.conf.Configuration)} to call several servers at once without a thread each.
   *
   * <p>The default fails with {@link UnsupportedOperationException}: only engines that can
   * encode a call from a bare {@link Method} (the Writable engine) support it.
   */
  default CompletableFuture<Object> callAsync(Method method, Object[] args, ConnectionId remote,
      Client client) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException(
        getClass().getName() + " does not support RPC.call (parallel calls); use the Writable "
            + "engine for " + method.getDeclaringClass().getName()));
  }
}
