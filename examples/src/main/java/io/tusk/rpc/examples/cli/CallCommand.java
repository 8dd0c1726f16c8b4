package io.tusk.rpc.examples.cli;

import java.io.PrintStream;
import java.util.List;

/** {@code tusk call}: calls one protobuf method and prints the response as JSON. */
final class CallCommand implements Command {
  @Override
  public String name() {
    return "call";
  }

  @Override
  public String summary() {
    return "Calls one protobuf method and prints the response as JSON.";
  }

  @Override
  public String synopsis() {
    return "tusk call HOST:PORT --protocol NAME [--version V] METHOD [JSON]";
  }

  @Override
  public List<Option> options() {
    return List.of();
  }

  @Override
  public int run(CommandLine line, PrintStream out) {
    throw new UnsupportedOperationException("tusk call is not implemented yet");
  }
}
