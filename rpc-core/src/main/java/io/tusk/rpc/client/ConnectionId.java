package io.tusk.rpc.client;

import io.tusk.rpc.security.UserIdentity;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Identifies a client connection: calls with equal ids share one TCP connection. Connections are
 * per identity, as in Hadoop: {@code alice} and {@code alice} impersonated by {@code root} are
 * different connections to the same server.
 *
 * @param address the server's address (must be resolved)
 * @param protocol the protocol name sent in the connection context
 * @param user the effective user sent in the connection context
 * @param realUser the real user sent in the connection context when {@code user} is a proxy user
 *     impersonated by it, else {@code null}
 */
public record ConnectionId(InetSocketAddress address, String protocol, String user,
    String realUser) {
  public ConnectionId {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(user, "user");
    if (address.isUnresolved()) {
      throw new IllegalArgumentException("unresolved server address " + address);
    }
  }

  /** A connection id for {@code user} acting as itself (no real user). */
  public ConnectionId(InetSocketAddress address, String protocol, String user) {
    this(address, protocol, user, null);
  }

  /**
   * A connection id for the {@linkplain UserIdentity#getCurrentUser() current user} at the time of
   * this call: the user of the innermost {@link UserIdentity#doAs} on this thread, else the login
   * user ({@code HADOOP_USER_NAME}, else the OS account; not the {@code user.name} property).
   */
  public static ConnectionId of(InetSocketAddress address, String protocol) {
    return of(address, protocol, UserIdentity.getCurrentUser());
  }

  /**
   * A connection id for {@code user}: its full name, and for a proxy user its real user's full
   * name, go into the connection context.
   */
  public static ConnectionId of(InetSocketAddress address, String protocol, UserIdentity user) {
    Objects.requireNonNull(user, "user");
    return new ConnectionId(address, protocol, user.fullName(),
        user.realUser() == null ? null : user.realUser().fullName());
  }

  /**
   * The identity this id connects as: {@link #user()} as a SIMPLE user, or impersonated by
   * {@link #realUser()} when there is one.
   */
  public UserIdentity identity() {
    UserIdentity effective = UserIdentity.createRemoteUser(user);
    return realUser == null ? effective
        : UserIdentity.createProxyUser(user, UserIdentity.createRemoteUser(realUser));
  }

  @Override
  public String toString() {
    return protocol + "@" + address + " as " + user + (realUser == null ? "" : " via " + realUser);
  }
}
