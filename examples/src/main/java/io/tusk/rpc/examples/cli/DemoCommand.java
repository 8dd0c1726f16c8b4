package io.tusk.rpc.examples.cli;

import java.io.PrintStream;
import java.util.List;

/** {@code tusk demo}: starts a server with both example protocols, calls them, prints what happened. */
final class DemoCommand implements Command {
  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String summary() {
    return "Starts a server with both example protocols, calls them, prints what happened.";
  }

  @Override
  public String synopsis() {
    return "tusk demo";
  }

  @Override
  public List<Option> options() {
    return List.of();
  }

  @Override
  public int run(CommandLine line, PrintStream out) {
    throw new UnsupportedOperationException("tusk demo is not implemented yet");
  }
}
