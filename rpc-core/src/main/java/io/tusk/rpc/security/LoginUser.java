package io.tusk.rpc.security;

import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the process's login user as Hadoop does under SIMPLE authentication, in the one place
 * Tusk does it ({@link UserIdentity#getLoginUser()} calls it once):
 * <ol>
 *   <li>the {@value #HADOOP_USER_NAME} environment variable, else the system property of that
 *       name;</li>
 *   <li>else the operating-system account the JVM runs as, read by
 *       {@code com.sun.security.auth.module.UnixSystem} (Windows: {@code NTSystem}), as Hadoop's
 *       login module reads it. <em>Not</em> the {@code user.name} system property: with
 *       {@code -Duser.name=carol} Hadoop still sends the OS user, and so does Tusk. Only when
 *       neither class can be used (a JDK without {@code jdk.security.auth}) does it fall back to
 *       the {@code USER} / {@code USERNAME} environment variables and last to {@code user.name};</li>
 *   <li>then, if {@value #HADOOP_PROXY_USER} is set (environment, else system property), the login
 *       user is that user impersonated by the one found above (Hadoop's
 *       {@code UserGroupInformation.loginUserFromSubject}).</li>
 * </ol>
 * An empty value counts as unset. The sources are injected so tests can give their own.
 */
final class LoginUser {
  /** Hadoop's environment variable and system property naming the user under SIMPLE auth. */
  static final String HADOOP_USER_NAME = "HADOOP_USER_NAME";
  /** Hadoop's environment variable and system property naming a user to impersonate. */
  static final String HADOOP_PROXY_USER = "HADOOP_PROXY_USER";
  private static final Logger LOG = LoggerFactory.getLogger(LoginUser.class);

  private LoginUser() {}

  /** The login user from this process's environment, properties and OS account. */
  static UserIdentity fromProcess(GroupMapping groups) {
    return resolve(System::getenv, System::getProperty, LoginUser::osUserName, groups);
  }

  /**
   * The login user from the given sources.
   *
   * @param env reads an environment variable (null when unset)
   * @param props reads a system property (null when unset)
   * @param osUser the operating-system account's name
   * @param groups the mapping the identity resolves its groups through, or null for the default
   */
  static UserIdentity resolve(Function<String, String> env, Function<String, String> props,
      Supplier<String> osUser, GroupMapping groups) {
    String name = first(env, props, HADOOP_USER_NAME);
    if (name == null) {
      name = osUser.get();
    }
    UserIdentity real = UserIdentity.createRemoteUser(name, groups);
    String proxy = first(env, props, HADOOP_PROXY_USER);
    return proxy == null ? real : UserIdentity.createProxyUser(proxy, real, groups);
  }

  private static String first(Function<String, String> env, Function<String, String> props,
      String key) {
    String value = env.apply(key);
    if (value == null || value.isEmpty()) {
      value = props.apply(key);
    }
    return value == null || value.isEmpty() ? null : value;
  }

  /**
   * The operating-system account the JVM runs as: {@code UnixSystem.getUsername()}, else
   * {@code NTSystem.getName()}, else {@code $USER}, {@code $USERNAME}, {@code user.name}.
   */
  static String osUserName() {
    String name = invoke("com.sun.security.auth.module.UnixSystem", "getUsername");
    if (name == null) {
      name = invoke("com.sun.security.auth.module.NTSystem", "getName");
    }
    if (name == null) {
      name = nonEmpty(System.getenv("USER"));
    }
    if (name == null) {
      name = nonEmpty(System.getenv("USERNAME"));
    }
    if (name == null) {
      name = System.getProperty("user.name", "unknown");
      LOG.warn("cannot read the OS login user (no com.sun.security.auth.module); using the"
          + " user.name property: {}", name);
    }
    return name;
  }

  private static String invoke(String className, String method) {
    try {
      Class<?> type = Class.forName(className);
      Object system = type.getConstructor().newInstance();
      return nonEmpty((String) type.getMethod(method).invoke(system));
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      LOG.debug("{} unavailable: {}", className, e.toString());
      return null;
    }
  }

  private static String nonEmpty(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
