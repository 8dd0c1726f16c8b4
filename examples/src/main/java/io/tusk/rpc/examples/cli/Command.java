package io.tusk.rpc.examples.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * One subcommand of {@link Tusk}. The command declares its options; {@link Tusk} parses the
 * arguments against them, prints the usage text for {@code --help}, and turns exceptions into a
 * one-line reason and an exit code.
 */
public interface Command {
  /** The word that selects the command, e.g. {@code call}. */
  String name();

  /** One line for the overview of all commands. */
  String summary();

  /** The synopsis line, e.g. {@code tusk call HOST:PORT --protocol NAME METHOD [JSON]}. */
  String synopsis();

  /** A few lines of explanation printed under the synopsis by {@code --help} (may be empty). */
  default String details() {
    return "";
  }

  /** The options besides {@code --help} and {@code --verbose}, which every command has. */
  List<Option> options();

  /**
   * Runs the command.
   *
   * @param line the parsed arguments
   * @param out where results go (standard output)
   * @return the exit code: 0 for success, 1 for a failure (the command printed why)
   * @throws UsageException when the arguments cannot be used (exit code 2)
   * @throws Exception any other failure; {@link Tusk} prints its message (exit code 1)
   */
  int run(CommandLine line, PrintStream out) throws Exception;
}
