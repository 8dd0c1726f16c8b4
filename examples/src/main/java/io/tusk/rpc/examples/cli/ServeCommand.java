package io.tusk.rpc.examples.cli;

import java.io.PrintStream;
import java.util.List;

/** {@code tusk serve}: serves the example protocols until interrupted. */
final class ServeCommand implements Command {
  @Override
  public String name() {
    return "serve";
  }

  @Override
  public String summary() {
    return "Serves the example protocols until interrupted.";
  }

  @Override
  public String synopsis() {
    return "tusk serve [--bind ADDR] [--port P] [--handlers N] [--readers N] [--conf FILE]";
  }

  @Override
  public List<Option> options() {
    return List.of();
  }

  @Override
  public int run(CommandLine line, PrintStream out) {
    throw new UnsupportedOperationException("tusk serve is not implemented yet");
  }
}
