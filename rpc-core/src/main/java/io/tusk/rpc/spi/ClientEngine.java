package io.tusk.rpc.spi;

import io.tusk.rpc.RpcKind;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import java.io.IOException;

/**
 * The client half of an RPC engine: makes proxies whose calls become this engine's requests on a
 * {@link Client}. Instances are shared by every proxy (stateless or thread-safe).
 *
 * <p>The proxy does not own the client: whoever made the client closes it. The {@link
 * io.tusk.rpc.RPC} facade counts proxies per client and is told through {@code onClose} when its
 * user closes a proxy (a {@code Closeable} proxy such as the protobuf engine's; see
 * {@link ProxyOptions#onClose()}), so that the last close gives the client back.
 */
public interface ClientEngine {
  /** The wire kind this engine's requests carry. */
  RpcKind kind();

  /**
   * A proxy implementing {@code protocol} whose calls go through {@code client} on the connection
   * {@code remote}, with {@code options}' version, per-call timeout and close callback.
   *
   * @throws IllegalArgumentException when {@code protocol} is not a protocol of this engine
   */
  <T> T newProxy(Class<T> protocol, ConnectionId remote, Client client, ProxyOptions options)
      throws IOException;

  /**
   * Whether {@code protocol} is of a shape only this engine can serve, so that the facade may
   * choose this engine for it when no {@code rpc.engine.<protocol>} setting names one (see
   * {@link io.tusk.rpc.EngineRegistry#forProtocol}). The protobuf engine claims interfaces that
   * extend a protobuf-generated {@code BlockingInterface}. Must be cheap, side-effect free and
   * not load other classes than {@code protocol}'s own supertypes. The default claims nothing
   * (the Writable engine, the default for every unclaimed interface, claims nothing either).
   */
  default boolean claims(Class<?> protocol) {
    return false;
  }
}
