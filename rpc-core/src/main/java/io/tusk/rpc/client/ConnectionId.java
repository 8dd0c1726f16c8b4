package io.tusk.rpc.client;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Identifies a client connection: calls with equal ids share one TCP connection.
 *
 * @param address the server's address (must be resolved)
 * @param protocol the protocol name sent in the connection context
 * @param user the effective user sent in the connection context
 */
public record ConnectionId(InetSocketAddress address, String protocol, String user) {
  public ConnectionId {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(user, "user");
    if (address.isUnresolved()) {
      throw new IllegalArgumentException("unresolved server address " + address);
    }
  }

  /** A connection id for the current OS user ({@code user.name}). */
  public static ConnectionId of(InetSocketAddress address, String protocol) {
    return new ConnectionId(address, protocol, System.getProperty("user.name", "unknown"));
  }

  @Override
  public String toString() {
    return protocol + "@" + address + " as " + user;
  }
}
