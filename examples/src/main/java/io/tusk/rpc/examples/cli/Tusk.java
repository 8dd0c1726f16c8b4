package io.tusk.rpc.examples.cli;

import io.tusk.rpc.RemoteException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code tusk} command line: {@code demo}, {@code serve}, {@code call}, {@code list} and
 * {@code bench}. {@link #run} does the work and returns the exit code so that tests can drive it
 * in-process; {@link #main} only adds {@link System#exit}.
 *
 * <p>Exit codes: 0 success, 1 the command failed (a remote error, an unreachable host; one line on
 * standard error says why), 2 the arguments were wrong (one line says which, plus a hint to
 * {@code --help}). Stack traces are printed only with {@code --verbose}, which also turns on INFO
 * logging.
 */
public final class Tusk {
  /** Exit code of a command that worked. */
  public static final int OK = 0;
  /** Exit code of a command that failed. */
  public static final int FAILED = 1;
  /** Exit code of a command line that could not be used. */
  public static final int USAGE = 2;

  static final Option HELP = Option.flag("print this help and exit", "--help", "-?");
  static final Option VERBOSE = Option.flag("log at INFO and print stack traces of failures",
      "--verbose");

  private final Map<String, Command> commands = new LinkedHashMap<>();
  private final Function<String, String> environment;

  /** The {@code tusk} tool with its standard commands. */
  public Tusk() {
    this(System::getenv);
  }

  /**
   * The standard commands reading environment variables (such as {@code HADOOP_CONF_DIR}) from
   * {@code environment} instead of the process's (for tests).
   */
  Tusk(Function<String, String> environment) {
    this(List.of(new DemoCommand(), new ServeCommand(), new CallCommand(), new ListCommand(),
        new BenchCommand()), environment);
  }

  Tusk(List<Command> commands) {
    this(commands, System::getenv);
  }

  Tusk(List<Command> commands, Function<String, String> environment) {
    for (Command command : commands) {
      this.commands.put(command.name(), command);
    }
    this.environment = environment;
  }

  /** Runs {@code tusk ARGS...} and exits with its exit code. */
  public static void main(String[] args) {
    boolean verbose = Arrays.asList(args).contains(VERBOSE.name());
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      // A command-line tool talks through its output; the framework's logs are for --verbose.
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
    }
    System.exit(new Tusk().run(args, System.out, System.err));
  }

  /**
   * Runs one command line.
   *
   * @return the exit code ({@link #OK}, {@link #FAILED} or {@link #USAGE})
   */
  public int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-?")
        || args[0].equals("help")) {
      printOverview(args.length == 0 ? err : out);
      return args.length == 0 ? USAGE : OK;
    }
    Command command = commands.get(args[0]);
    if (command == null) {
      err.println("tusk: unknown command '" + args[0] + "' (commands: "
          + String.join(", ", commands.keySet()) + ")");
      return USAGE;
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    boolean verbose = rest.contains(VERBOSE.name());
    List<Option> options = new ArrayList<>(command.options());
    options.add(HELP);
    options.add(VERBOSE);
    try {
      CommandLine line = CommandLine.parse(options, rest).withEnvironment(environment);
      if (line.has(HELP.name())) {
        printUsage(command, options, out);
        return OK;
      }
      return command.run(line, out);
    } catch (UsageException e) {
      err.println("tusk " + command.name() + ": " + e.getMessage());
      err.println("Try 'tusk " + command.name() + " --help'.");
      return USAGE;
    } catch (RemoteException e) {
      // Hadoop's servers append their stack trace to the message: only --verbose shows it.
      err.println("tusk " + command.name() + ": remote error " + e.getClassName() + ": "
          + firstLine(e.getMessage()));
      if (verbose) {
        e.printStackTrace(err);
      }
      return FAILED;
    } catch (Exception e) {
      err.println("tusk " + command.name() + ": " + describe(e));
      if (verbose) {
        e.printStackTrace(err);
      }
      return FAILED;
    }
  }

  /** The message of {@code e}, with its type when the message alone would say little. */
  static String describe(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getName();
    }
    return message;
  }

  /** The first line of a (remote) message, which may go on with a server's stack trace. */
  static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }

  private void printOverview(PrintStream out) {
    out.println("Usage: tusk COMMAND [OPTIONS]   (java -jar tusk.jar COMMAND ...)");
    out.println();
    out.println("Commands:");
    for (Command command : commands.values()) {
      out.printf("  %-8s %s%n", command.name(), command.summary());
    }
    out.println();
    out.println("Run 'tusk COMMAND --help' for the options of a command.");
  }

  private static void printUsage(Command command, List<Option> options, PrintStream out) {
    out.println("Usage: " + command.synopsis());
    out.println();
    out.println(command.summary());
    if (!command.details().isEmpty()) {
      out.println();
      out.println(command.details().stripTrailing());
    }
    out.println();
    out.println("Options:");
    int width = options.stream().mapToInt(o -> o.label().length()).max().orElse(0);
    for (Option option : options) {
      out.printf("  %-" + width + "s  %s%n", option.label(), option.description());
    }
  }
}
