package io.tusk.rpc.spi;

import io.tusk.rpc.server.Server;

/**
 * Protocols every server built by the {@link io.tusk.rpc.RPC} facade hosts, whatever its own
 * protocols are (Hadoop hosts its protocol meta-info service on every RPC server). Listed in
 * {@code META-INF/services/io.tusk.rpc.spi.BuiltinProtocols} and found once, when the facade's
 * {@link io.tusk.rpc.EngineRegistry} is loaded; a core {@link Server} hosts them only when asked.
 */
public interface BuiltinProtocols {
  /**
   * Hosts the protocols on {@code server} (registering their engine: a no-op when the same engine
   * is registered already). Called once per server, after the builder's own protocol is hosted.
   */
  void hostOn(Server server);
}
