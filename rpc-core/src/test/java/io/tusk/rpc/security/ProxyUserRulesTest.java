package io.tusk.rpc.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tusk.rpc.conf.Configuration;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ProxyUserRules}: Hadoop's proxyuser users/groups/hosts semantics. */
@Timeout(10)
class ProxyUserRulesTest {
  private static final GroupMapping GROUPS =
      user -> Map.of("alice", List.of("alice", "staff"), "bob", List.of("bob"))
          .getOrDefault(user, List.of());

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  private static ProxyUserRules rules(String... kv) {
    Configuration conf = new Configuration();
    for (int i = 0; i < kv.length; i += 2) {
      conf.set(kv[i], kv[i + 1]);
    }
    return ProxyUserRules.fromConfiguration(conf);
  }

  @Test
  void withoutRulesNobodyMayImpersonate() throws Exception {
    assertEquals("User: root is not allowed to impersonate alice",
        ProxyUserRules.none().refusal("alice", "root", ip("127.0.0.1"), GROUPS));
    assertEquals("User: root is not allowed to impersonate alice",
        rules("hadoop.proxyuser.root.hosts", "*").refusal("alice", "root", ip("127.0.0.1"),
            GROUPS));
  }

  @Test
  void usersListAndStar() throws Exception {
    ProxyUserRules r = rules("hadoop.proxyuser.root.users", "carol, alice",
        "hadoop.proxyuser.root.hosts", "*", "hadoop.proxyuser.svc.users", "*",
        "hadoop.proxyuser.svc.hosts", "*");
    assertNull(r.refusal("alice", "root", ip("127.0.0.1"), GROUPS));
    assertEquals("User: root is not allowed to impersonate bob",
        r.refusal("bob", "root", ip("127.0.0.1"), GROUPS));
    assertNull(r.refusal("bob", "svc", ip("10.1.2.3"), GROUPS));
    assertEquals("User: other is not allowed to impersonate bob",
        r.refusal("bob", "other", ip("127.0.0.1"), GROUPS));
  }

  @Test
  void groupsOfTheEffectiveUserCount() throws Exception {
    ProxyUserRules r = rules("hadoop.proxyuser.root.groups", "staff",
        "hadoop.proxyuser.root.hosts", "*");
    assertNull(r.refusal("alice", "root", ip("127.0.0.1"), GROUPS));
    assertEquals("User: root is not allowed to impersonate bob",
        r.refusal("bob", "root", ip("127.0.0.1"), GROUPS));
    GroupMapping failing = user -> {
      throw new java.io.IOException("directory down");
    };
    assertEquals("User: root is not allowed to impersonate alice",
        r.refusal("alice", "root", ip("127.0.0.1"), failing));
  }

  @Test
  void hostsByAddressCidrAndMissingKey() throws Exception {
    ProxyUserRules r = rules("hadoop.proxyuser.root.users", "*",
        "hadoop.proxyuser.root.hosts", "10.0.0.0/8, 192.168.1.7",
        "hadoop.proxyuser.nohosts.users", "*");
    assertNull(r.refusal("alice", "root", ip("10.200.3.4"), GROUPS));
    assertNull(r.refusal("alice", "root", ip("192.168.1.7"), GROUPS));
    assertEquals("Unauthorized connection for super-user: root from IP /192.168.1.8",
        r.refusal("alice", "root", ip("192.168.1.8"), GROUPS));
    assertEquals("Unauthorized connection for super-user: root from IP /11.0.0.1",
        r.refusal("alice", "root", ip("11.0.0.1"), GROUPS));
    assertEquals("Unauthorized connection for super-user: nohosts from IP /127.0.0.1",
        r.refusal("alice", "nohosts", ip("127.0.0.1"), GROUPS));
  }

  @Test
  void hostNamesAreResolved() throws Exception {
    ProxyUserRules r = rules("hadoop.proxyuser.root.users", "*",
        "hadoop.proxyuser.root.hosts", "localhost");
    assertNull(r.refusal("alice", "root", ip("127.0.0.1"), GROUPS));
  }
}
