package io.tusk.rpc.examples.cli;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The arguments of one subcommand, parsed against its {@link Option}s: option values by canonical
 * name, flags, and the remaining positional arguments in order. {@code --name=value} and
 * {@code --name value} are both accepted; {@code --} ends the options. Also where commands read
 * environment variables ({@link #env}), so that tests can give their own.
 */
public final class CommandLine {
  private final Map<String, String> values = new HashMap<>();
  private final List<String> positionals = new ArrayList<>();
  /** The process environment, or a stand-in given by {@link #withEnvironment} (tests). */
  private Function<String, String> environment = System::getenv;

  private CommandLine() {}

  /**
   * Parses {@code args} against {@code options}.
   *
   * @throws UsageException for an unknown option or an option missing its value
   */
  public static CommandLine parse(List<Option> options, List<String> args) throws UsageException {
    Map<String, Option> byName = new HashMap<>();
    for (Option option : options) {
      for (String name : option.names()) {
        byName.put(name, option);
      }
    }
    CommandLine line = new CommandLine();
    boolean optionsEnded = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (optionsEnded || !arg.startsWith("-") || arg.equals("-") || isNumber(arg)) {
        line.positionals.add(arg);
        continue;
      }
      if (arg.equals("--")) {
        optionsEnded = true;
        continue;
      }
      int eq = arg.indexOf('=');
      String name = eq > 0 ? arg.substring(0, eq) : arg;
      Option option = byName.get(name);
      if (option == null) {
        throw new UsageException("unknown option " + name);
      }
      String value;
      if (!option.takesValue()) {
        if (eq > 0) {
          throw new UsageException("option " + name + " takes no value");
        }
        value = "";
      } else if (eq > 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new UsageException("option " + name + " needs a value (" + option.valueName() + ")");
      }
      line.values.put(option.name(), value);
    }
    return line;
  }

  private static boolean isNumber(String arg) {
    return arg.length() > 1 && arg.substring(1).chars().allMatch(c -> Character.isDigit(c)
        || c == '.');
  }

  /** This command line, reading environment variables from {@code env} instead. */
  CommandLine withEnvironment(Function<String, String> env) {
    this.environment = Objects.requireNonNull(env, "env");
    return this;
  }

  /** The environment variable {@code name}, or null when unset. */
  public String env(String name) {
    return environment.apply(name);
  }

  /** Whether the option (by canonical name) or flag was given. */
  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** The option's value, or {@code defaultValue} when it was not given. */
  public String value(String name, String defaultValue) {
    return values.getOrDefault(name, defaultValue);
  }

  /** The option's value; a {@link UsageException} names it when it was not given. */
  public String required(String name) throws UsageException {
    String value = values.get(name);
    if (value == null) {
      throw new UsageException("missing option " + name);
    }
    return value;
  }

  /** The option's value as an int in {@code [min, max]}, or {@code defaultValue}. */
  public int intValue(String name, int defaultValue, int min, int max) throws UsageException {
    return (int) longValue(name, defaultValue, min, max);
  }

  /** The option's value as a long in {@code [min, max]}, or {@code defaultValue}. */
  public long longValue(String name, long defaultValue, long min, long max)
      throws UsageException {
    String value = values.get(name);
    if (value == null) {
      return defaultValue;
    }
    long parsed;
    try {
      parsed = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("option " + name + " needs a whole number, not '" + value + "'");
    }
    if (parsed < min || parsed > max) {
      throw new UsageException("option " + name + " must be between " + min + " and " + max
          + ", not " + parsed);
    }
    return parsed;
  }

  /** The positional arguments, in order. */
  public List<String> positionals() {
    return List.copyOf(positionals);
  }

  /**
   * Checks that there are between {@code min} and {@code max} positional arguments.
   *
   * @param what the synopsis of the positionals for the message, e.g. {@code HOST:PORT METHOD}
   */
  public CommandLine expectPositionals(int min, int max, String what) throws UsageException {
    if (positionals.size() < min) {
      throw new UsageException("expected " + what + ", got " + positionals.size()
          + " argument(s)");
    }
    if (positionals.size() > max) {
      throw new UsageException("unexpected argument '" + positionals.get(max) + "' (expected "
          + what + ")");
    }
    return this;
  }

  /**
   * Parses {@code HOST:PORT} (or {@code [v6]:PORT}) into an unresolved-if-need-be address.
   *
   * @throws UsageException when it is not of that form
   */
  public static InetSocketAddress hostPort(String text) throws UsageException {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new UsageException("expected HOST:PORT, not '" + text + "'");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new UsageException("expected HOST:PORT, not '" + text + "' (bad port)");
    }
    if (port < 1 || port > 65535) {
      throw new UsageException("port must be between 1 and 65535, not " + port);
    }
    return new InetSocketAddress(host, port);
  }
}
