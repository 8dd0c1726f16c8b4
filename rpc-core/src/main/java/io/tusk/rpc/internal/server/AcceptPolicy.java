package io.tusk.rpc.internal.server;

import io.tusk.rpc.server.ServerOptions;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * What the server does with a socket the listener accepted before any reader sees it: whether
 * the connection limit ({@code ipc.server.max.connections}, 0 = none) lets it in, and the socket
 * options it gets. Immutable; called on the listener thread.
 */
final class AcceptPolicy {
  private final int maxConnections;
  private final boolean tcpNoDelay;

  AcceptPolicy(ServerOptions options) {
    this.maxConnections = options.maxConnections();
    this.tcpNoDelay = options.tcpNoDelay();
  }

  /** Why a new connection is refused while {@code open} are open, or null when it is welcome. */
  String refusal(int open) {
    if (maxConnections > 0 && open >= maxConnections) {
      return open + " connections open, the maximum is " + maxConnections
          + " (ipc.server.max.connections)";
    }
    return null;
  }

  /** Makes an accepted socket ready for a reader: non-blocking, with the configured options. */
  void configure(SocketChannel channel) throws IOException {
    channel.configureBlocking(false);
    channel.setOption(StandardSocketOptions.TCP_NODELAY, tcpNoDelay);
  }
}
