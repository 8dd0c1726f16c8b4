package io.tusk.rpc.conf;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hadoop's {@code ${...}} substitution in configuration values, done when a value is read:
 * {@code ${env.NAME}} is the environment variable {@code NAME}; {@code ${name}} is the system
 * property {@code name}, else the setting {@code name} (itself expanded). A variable that resolves
 * to nothing stays as written, as in Hadoop. Substitution is repeated until nothing changes, at
 * most {@value #MAX_DEPTH} rounds (Hadoop's limit); a deeper chain (a cycle) is an error naming the
 * key. Not supported: Hadoop's {@code ${env.NAME:-default}} forms. Stateless.
 */
final class VariableExpansion {
  /** Hadoop's {@code MAX_SUBST}. */
  static final int MAX_DEPTH = 20;

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}$\\s]+)}");
  private static final String ENV = "env.";

  private VariableExpansion() {}

  /**
   * {@code value} with its variables replaced.
   *
   * @param key names the setting in the error for a cycle
   * @param settings raw settings by name (null when unset)
   * @param env environment variables by name (null when unset)
   * @throws IllegalArgumentException when substitution goes deeper than {@value #MAX_DEPTH}
   */
  static String expand(String key, String value, Function<String, String> settings,
      Function<String, String> env) {
    if (value == null || !value.contains("${")) {
      return value;
    }
    String current = value;
    for (int round = 0; round < MAX_DEPTH; round++) {
      String next = expandOnce(current, settings, env);
      if (next.equals(current)) {
        return current;
      }
      current = next;
    }
    if (expandOnce(current, settings, env).equals(current)) {
      return current;
    }
    throw new IllegalArgumentException(key + " = '" + value
        + "': variable substitution deeper than " + MAX_DEPTH + " (a cycle?)");
  }

  private static String expandOnce(String value, Function<String, String> settings,
      Function<String, String> env) {
    Matcher m = VARIABLE.matcher(value);
    StringBuilder out = new StringBuilder(value.length());
    while (m.find()) {
      String name = m.group(1);
      String replacement = resolve(name, settings, env);
      m.appendReplacement(out, Matcher.quoteReplacement(replacement != null
          ? replacement : m.group()));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String resolve(String name, Function<String, String> settings,
      Function<String, String> env) {
    if (name.startsWith(ENV) && name.length() > ENV.length()) {
      return env.apply(name.substring(ENV.length()));
    }
    String property = System.getProperty(name);
    return property != null ? property : settings.apply(name);
  }
}
