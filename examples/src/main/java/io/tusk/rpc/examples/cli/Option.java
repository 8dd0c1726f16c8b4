package io.tusk.rpc.examples.cli;

import java.util.List;

/**
 * One option of a subcommand.
 *
 * @param names the spellings, the first one canonical (e.g. {@code -c}, {@code --clients})
 * @param valueName what the value is called in the usage text, or {@code null} for a flag
 * @param description one line for the usage text, mentioning the default if there is one
 */
public record Option(List<String> names, String valueName, String description) {
  public Option {
    names = List.copyOf(names);
    if (names.isEmpty()) {
      throw new IllegalArgumentException("an option needs a name");
    }
  }

  /** An option that takes a value. */
  public static Option value(String valueName, String description, String... names) {
    return new Option(List.of(names), valueName, description);
  }

  /** An option without a value. */
  public static Option flag(String description, String... names) {
    return new Option(List.of(names), null, description);
  }

  /** The canonical spelling, under which {@link CommandLine} keeps the value. */
  public String name() {
    return names.get(0);
  }

  /** Whether the option takes a value. */
  public boolean takesValue() {
    return valueName != null;
  }

  /** The left column of the usage text, e.g. {@code -c, --clients N}. */
  String label() {
    String joined = String.join(", ", names);
    return takesValue() ? joined + " " + valueName : joined;
  }
}
