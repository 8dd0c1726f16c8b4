package io.tusk.rpc.security;

import io.tusk.rpc.conf.Configuration;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may impersonate whom, from where: Hadoop's {@code hadoop.proxyuser.<real>.users},
 * {@code .groups} and {@code .hosts} rules, immutable once built. A server builds one from its
 * configuration and swaps it whole on refresh (Hadoop's
 * {@code ProxyUsers.refreshSuperUserGroupsConfiguration}); reader threads call {@link #refusal}
 * when a connection context names a real user, so an instance is shared without locks.
 *
 * <p>Semantics follow Hadoop's {@code DefaultImpersonationProvider}: a real user without a
 * {@code .users} or {@code .groups} key may impersonate nobody; {@code *} allows all; lists are
 * comma separated; the effective user is allowed if its short name is listed or one of its groups
 * (from the {@link GroupMapping}) is. Then the remote address must match {@code .hosts}: {@code *},
 * IP addresses, CIDR ranges ({@code 10.0.0.0/8}) or host names (resolved when the rules are
 * built, and compared with the peer's name as well).
 */
public final class ProxyUserRules {
  /** Prefix of every rule key. */
  public static final String PREFIX = "hadoop.proxyuser.";
  private static final Logger LOG = LoggerFactory.getLogger(ProxyUserRules.class);
  private static final ProxyUserRules NONE = new ProxyUserRules(Map.of(), Map.of());

  private final Map<String, Acl> acls;
  private final Map<String, Hosts> hosts;

  private ProxyUserRules(Map<String, Acl> acls, Map<String, Hosts> hosts) {
    this.acls = acls;
    this.hosts = hosts;
  }

  /** Rules that allow no impersonation at all (Hadoop's behaviour without proxyuser keys). */
  public static ProxyUserRules none() {
    return NONE;
  }

  /** The rules of every {@code hadoop.proxyuser.<real>.(users|groups|hosts)} key in {@code conf}. */
  public static ProxyUserRules fromConfiguration(Configuration conf) {
    Map<String, String> users = new HashMap<>();
    Map<String, String> groups = new HashMap<>();
    Map<String, Hosts> hosts = new HashMap<>();
    for (Map.Entry<String, String> e : conf.toMap().entrySet()) {
      String key = e.getKey();
      if (!key.startsWith(PREFIX)) {
        continue;
      }
      int dot = key.lastIndexOf('.');
      String real = key.substring(PREFIX.length(), Math.max(dot, PREFIX.length()));
      if (real.isEmpty() || real.indexOf('.') >= 0) {
        continue; // Hadoop's pattern: the real user's name has no dot
      }
      switch (key.substring(dot + 1)) {
        case "users" -> users.put(real, e.getValue());
        case "groups" -> groups.put(real, e.getValue());
        case "hosts" -> hosts.put(real, Hosts.parse(e.getValue()));
        default -> { }
      }
    }
    Map<String, Acl> acls = new HashMap<>();
    Set<String> reals = new HashSet<>(users.keySet());
    reals.addAll(groups.keySet());
    for (String real : reals) {
      acls.put(real, Acl.parse(users.get(real), groups.get(real)));
    }
    return new ProxyUserRules(Map.copyOf(acls), Map.copyOf(hosts));
  }

  /**
   * Why {@code real} may not act as {@code effective} from {@code remote}, in Hadoop's words, or
   * {@code null} when it may.
   *
   * @param groups the groups of {@code effective}; a failed lookup counts as no groups
   */
  public String refusal(String effective, String real, InetAddress remote, GroupMapping groups) {
    Acl acl = acls.get(shortName(real));
    if (acl == null || !acl.allows(effective, groups)) {
      return "User: " + real + " is not allowed to impersonate " + effective;
    }
    Hosts from = hosts.get(shortName(real));
    if (from == null || !from.includes(remote)) {
      // Hadoop 3.4.2 prints the peer's InetAddress, unresolved: "/127.0.0.1"
      return "Unauthorized connection for super-user: " + real + " from IP /"
          + (remote == null ? "" : remote.getHostAddress());
    }
    return null;
  }

  /** Hadoop's short name under SIMPLE auth: up to the first {@code /} or {@code @}. */
  static String shortName(String user) {
    int end = user.length();
    for (int i = 0; i < user.length(); i++) {
      char c = user.charAt(i);
      if (c == '/' || c == '@') {
        end = i;
        break;
      }
    }
    return user.substring(0, end);
  }

  private static List<String> list(String value) {
    List<String> out = new ArrayList<>();
    if (value != null) {
      for (String s : value.split(",")) {
        if (!s.trim().isEmpty()) {
          out.add(s.trim());
        }
      }
    }
    return out;
  }

  private record Acl(boolean all, Set<String> users, Set<String> groups) {
    static Acl parse(String users, String groups) {
      List<String> u = list(users);
      List<String> g = list(groups);
      return new Acl(u.contains("*") || g.contains("*"), Set.copyOf(u), Set.copyOf(g));
    }

    boolean allows(String effective, GroupMapping mapping) {
      if (all || users.contains(shortName(effective))) {
        return true;
      }
      if (groups.isEmpty()) {
        return false;
      }
      try {
        for (String group : mapping.groups(shortName(effective))) {
          if (groups.contains(group)) {
            return true;
          }
        }
      } catch (IOException e) {
        LOG.warn("group lookup for {} failed, treated as no groups: {}", effective, e.toString());
      }
      return false;
    }
  }

  private record Cidr(byte[] network, int bits) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >>> (i % 8);
        if ((address[i / 8] & mask) != (network[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  private record Hosts(boolean all, Set<InetAddress> addresses, Set<String> names,
      List<Cidr> ranges) {
    static Hosts parse(String value) {
      List<String> entries = list(value);
      if (entries.contains("*")) {
        return new Hosts(true, Set.of(), Set.of(), List.of());
      }
      Set<InetAddress> addresses = new HashSet<>();
      Set<String> names = new HashSet<>();
      List<Cidr> ranges = new ArrayList<>();
      for (String entry : entries) {
        try {
          int slash = entry.indexOf('/');
          if (slash >= 0) {
            byte[] net = InetAddress.getByName(entry.substring(0, slash)).getAddress();
            int bits = Integer.parseInt(entry.substring(slash + 1));
            if (bits < 0 || bits > net.length * 8) {
              throw new IllegalArgumentException("bad prefix length in " + entry);
            }
            ranges.add(new Cidr(net, bits));
          } else {
            names.add(entry.toLowerCase(java.util.Locale.ROOT));
            addresses.add(InetAddress.getByName(entry));
          }
        } catch (UnknownHostException | NumberFormatException e) {
          LOG.warn("proxyuser hosts entry {} ignored: {}", entry, e.toString());
        }
      }
      return new Hosts(false, Set.copyOf(addresses), Set.copyOf(names), List.copyOf(ranges));
    }

    boolean includes(InetAddress remote) {
      if (all) {
        return true;
      }
      if (remote == null) {
        return false;
      }
      if (addresses.contains(remote)) {
        return true;
      }
      for (Cidr range : ranges) {
        if (range.contains(remote.getAddress())) {
          return true;
        }
      }
      return !names.isEmpty()
          && names.contains(remote.getCanonicalHostName().toLowerCase(java.util.Locale.ROOT));
    }
  }
}
