package io.tusk.rpc.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.security.UserIdentity;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ConnectionId}: one per identity, built from the current user or a given one. */
@Timeout(10)
class ConnectionIdTest {
  private static final InetSocketAddress ADDRESS = new InetSocketAddress("127.0.0.1", 9);
  private static final UserIdentity ROOT = UserIdentity.createRemoteUser("root");

  @Test
  void aProxyUserNamesBothUsersAndDiffersFromTheUserAlone() {
    ConnectionId proxied = ConnectionId.of(ADDRESS, "p",
        UserIdentity.createProxyUser("alice", ROOT));
    ConnectionId plain = ConnectionId.of(ADDRESS, "p", UserIdentity.createRemoteUser("alice"));

    assertThat(proxied.user()).isEqualTo("alice");
    assertThat(proxied.realUser()).isEqualTo("root");
    assertThat(plain.realUser()).isNull();
    assertThat(plain).isEqualTo(new ConnectionId(ADDRESS, "p", "alice"));
    assertThat(proxied).isNotEqualTo(plain)
        .isNotEqualTo(ConnectionId.of(ADDRESS, "p", UserIdentity.createProxyUser("alice",
            UserIdentity.createRemoteUser("hdfs"))));
    assertThat(proxied).hasToString("p@" + ADDRESS + " as alice via root");
  }

  @Test
  void theIdentityRoundTrips() {
    UserIdentity alice = UserIdentity.createProxyUser("alice", ROOT);
    assertThat(ConnectionId.of(ADDRESS, "p", alice).identity()).isEqualTo(alice);
    assertThat(new ConnectionId(ADDRESS, "p", "bob").identity())
        .isEqualTo(UserIdentity.createRemoteUser("bob"));
  }

  @Test
  void ofTakesTheCurrentUserAtTheTimeOfTheCall() throws Exception {
    UserIdentity bob = UserIdentity.createProxyUser("bob", ROOT);
    assertThat(bob.doAs(() -> ConnectionId.of(ADDRESS, "p")))
        .isEqualTo(ConnectionId.of(ADDRESS, "p", bob));
    assertThat(ConnectionId.of(ADDRESS, "p").user())
        .isEqualTo(UserIdentity.getLoginUser().fullName());
  }
}
