package io.tusk.rpc.security;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who a caller is: Tusk's counterpart of Hadoop's {@code UserGroupInformation}, without its
 * mutable statics. An identity has a full name (what the connection context carries), a short
 * name (up to the first {@code /} or {@code @}, as Hadoop shortens names under SIMPLE auth), an
 * {@link AuthMethod} ({@link AuthMethod#SIMPLE}, or {@link AuthMethod#PROXY} for a proxy user),
 * for a proxy user the real user that impersonates it, and groups.
 *
 * <h2>Client side</h2>
 * {@link #getLoginUser()} is the process's user, resolved once as Hadoop resolves it under SIMPLE
 * auth: {@code HADOOP_USER_NAME} (environment, then system property), else the OS account
 * (<em>not</em> the {@code user.name} property), optionally impersonating
 * {@code HADOOP_PROXY_USER}; see {@code LoginUser} for the details. {@link #getCurrentUser()} is
 * the identity of the innermost {@link #doAs} on this thread, else the login user. Proxies
 * ({@code RPC.getProxy} without a user) and connection ids ({@code ConnectionId.of}) take the
 * current user <em>when they are created</em> and keep it, as Hadoop's proxies keep the UGI they
 * were made under: a call on a proxy made outside a {@code doAs} still runs as the proxy's user.
 * Create the proxy inside the {@code doAs}, or pass the identity to
 * {@code RPC.getProxy(protocol, version, address, user, conf)}. A proxy user's connection context
 * names both users, and connections are kept per identity.
 *
 * <h2>Server side</h2>
 * {@code CallContext.userIdentity()} and {@code Server.getRemoteUserIdentity()} give the caller as
 * an identity: the connection context's effective user, and when it named a real user (allowed by
 * the server's {@code hadoop.proxyuser.*} rules), a {@link AuthMethod#PROXY} identity via that
 * real user. Its {@link #toString()} is Hadoop's: {@code alice (auth:SIMPLE)},
 * {@code alice (auth:PROXY) via root (auth:SIMPLE)}.
 *
 * <h2>Groups</h2>
 * {@link #groups()} asks the {@link GroupMapping} the identity was created with each time; nothing
 * is looked up until asked. Identities a server hands to its handlers use the server's mapping
 * (built from its configuration, cached). Without one, the default is Hadoop's default static
 * override ({@value GroupMapping#STATIC_OVERRIDES_DEFAULT}) in front of {@link ShellGroupMapping}
 * without a cache, so that no JVM-wide cache exists; code that asks often passes
 * {@code GroupMapping.fromConfiguration(conf)}, which caches.
 *
 * <h2>Equality</h2>
 * Two identities are equal when their full names, methods and real users are equal (the group
 * mapping does not count). Hadoop compares UGIs by their {@code Subject}'s identity instead, so two
 * {@code createRemoteUser("alice")} are different there; here they share a connection.
 *
 * <p>Immutable and thread-safe. The only JVM-wide state is the thread-local current user and the
 * login user, resolved on first use.
 */
public final class UserIdentity {
  /** Hadoop's environment variable and system property naming the login user under SIMPLE. */
  public static final String HADOOP_USER_NAME = LoginUser.HADOOP_USER_NAME;
  /** Hadoop's environment variable and system property naming a user the login user acts for. */
  public static final String HADOOP_PROXY_USER = LoginUser.HADOOP_PROXY_USER;

  private static final Logger LOG = LoggerFactory.getLogger(UserIdentity.class);
  private static final ThreadLocal<UserIdentity> CURRENT = new ThreadLocal<>();

  /**
   * Something to run as an identity ({@link #doAs}); Hadoop's {@code PrivilegedExceptionAction},
   * with the exception type its own.
   *
   * @param <T> the result
   * @param <E> what it may throw
   */
  @FunctionalInterface
  public interface Action<T, E extends Exception> {
    /** Runs the action. */
    T run() throws E;
  }

  private final String fullName;
  private final String shortName;
  private final AuthMethod authMethod;
  private final UserIdentity realUser;
  private final GroupMapping groupMapping;

  private UserIdentity(String fullName, AuthMethod authMethod, UserIdentity realUser,
      GroupMapping groupMapping) {
    this.fullName = fullName;
    this.shortName = ProxyUserRules.shortName(fullName);
    this.authMethod = authMethod;
    this.realUser = realUser;
    this.groupMapping = groupMapping;
  }

  /**
   * A user known by name only, authenticated SIMPLE (Hadoop's {@code createRemoteUser}); groups
   * from the default mapping.
   *
   * @throws IllegalArgumentException when {@code name} is null or empty ("Null user", as Hadoop)
   */
  public static UserIdentity createRemoteUser(String name) {
    return createRemoteUser(name, null);
  }

  /**
   * As {@link #createRemoteUser(String)}, with groups from {@code groups} (null: the default).
   */
  public static UserIdentity createRemoteUser(String name, GroupMapping groups) {
    return new UserIdentity(checkName(name), AuthMethod.SIMPLE, null, groups);
  }

  /**
   * {@code name} impersonated by {@code realUser} (Hadoop's {@code createProxyUser}): method
   * {@link AuthMethod#PROXY}; the connection context names both, and the server decides by its
   * {@code hadoop.proxyuser.<real>.*} rules whether the real user may act for it. Groups from the
   * default mapping.
   *
   * @throws IllegalArgumentException when {@code name} is null or empty, or {@code realUser} is
   *     null (Hadoop's "Null user" / "Null real user")
   */
  public static UserIdentity createProxyUser(String name, UserIdentity realUser) {
    return createProxyUser(name, realUser, null);
  }

  /** As {@link #createProxyUser(String, UserIdentity)}, with groups from {@code groups}. */
  public static UserIdentity createProxyUser(String name, UserIdentity realUser,
      GroupMapping groups) {
    checkName(name);
    if (realUser == null) {
      throw new IllegalArgumentException("Null real user");
    }
    return new UserIdentity(name, AuthMethod.PROXY, realUser, groups);
  }

  /**
   * The process's login user, resolved on the first call and then fixed (see the class comment).
   * Tests that need other sources use the package's resolver instead of changing the process.
   */
  public static UserIdentity getLoginUser() {
    return LoginHolder.LOGIN;
  }

  /** The identity of the innermost {@link #doAs} running on this thread, else the login user. */
  public static UserIdentity getCurrentUser() {
    UserIdentity current = CURRENT.get();
    return current != null ? current : getLoginUser();
  }

  /**
   * Runs {@code action} with this identity as {@link #getCurrentUser()} on this thread, then
   * restores what was current before (also when it throws), so {@code doAs} calls nest. Proxies
   * and connection ids created inside take this identity. Threads the action starts do not
   * inherit it (Hadoop's {@code Subject} is inherited): call {@code doAs} in them too.
   *
   * @return what the action returned
   * @throws E what the action threw
   */
  public <T, E extends Exception> T doAs(Action<T, E> action) throws E {
    Objects.requireNonNull(action, "action");
    UserIdentity previous = CURRENT.get();
    CURRENT.set(this);
    try {
      return action.run();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  /** The full name, as the connection context carries it (e.g. {@code alice@EXAMPLE.COM}). */
  public String fullName() {
    return fullName;
  }

  /** The short name: the full name up to the first {@code /} or {@code @}. */
  public String shortName() {
    return shortName;
  }

  /** Hadoop's name for {@link #fullName()}, for ported code. */
  public String getUserName() {
    return fullName;
  }

  /** Hadoop's name for {@link #shortName()}, for ported code. */
  public String getShortUserName() {
    return shortName;
  }

  /** {@link AuthMethod#SIMPLE}, or {@link AuthMethod#PROXY} for a proxy user. */
  public AuthMethod authMethod() {
    return authMethod;
  }

  /** The user that impersonates this one, or {@code null} when this is not a proxy user. */
  public UserIdentity realUser() {
    return realUser;
  }

  /** Whether this is a proxy user (it has a real user). */
  public boolean isProxy() {
    return realUser != null;
  }

  /**
   * The groups of the short name, primary first, from the identity's mapping; empty when the user
   * is unknown or the lookup failed (logged at debug, as Hadoop does).
   */
  public List<String> groups() {
    try {
      return List.copyOf(mapping().groups(shortName));
    } catch (IOException e) {
      LOG.debug("no groups for {}: {}", shortName, e.toString());
      return List.of();
    }
  }

  /** The first of {@link #groups()}, or {@code null} when there is none. */
  public String primaryGroup() {
    List<String> groups = groups();
    return groups.isEmpty() ? null : groups.get(0);
  }

  private GroupMapping mapping() {
    return groupMapping != null ? groupMapping : DefaultGroups.MAPPING;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UserIdentity other && fullName.equals(other.fullName)
        && authMethod == other.authMethod && Objects.equals(realUser, other.realUser);
  }

  @Override
  public int hashCode() {
    return Objects.hash(fullName, authMethod, realUser);
  }

  /** Hadoop's form: {@code alice (auth:SIMPLE)}, {@code alice (auth:PROXY) via root (auth:SIMPLE)}. */
  @Override
  public String toString() {
    String self = fullName + " (auth:" + authMethod + ")";
    return realUser == null ? self : self + " via " + realUser;
  }

  private static String checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("Null user");
    }
    return name;
  }

  /** The login user, resolved when first asked for. */
  private static final class LoginHolder {
    static final UserIdentity LOGIN = LoginUser.fromProcess(null);
  }

  /** The default group mapping (stateless), built when first asked for. */
  private static final class DefaultGroups {
    static final GroupMapping MAPPING = StaticGroupMapping.parse(
        GroupMapping.STATIC_OVERRIDES_DEFAULT, new ShellGroupMapping());
  }
}
