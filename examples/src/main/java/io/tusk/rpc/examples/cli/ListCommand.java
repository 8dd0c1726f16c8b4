package io.tusk.rpc.examples.cli;

import java.io.PrintStream;
import java.util.List;

/** {@code tusk list}: lists a protocol's versions per RpcKind and its method fingerprints. */
final class ListCommand implements Command {
  @Override
  public String name() {
    return "list";
  }

  @Override
  public String summary() {
    return "Lists a protocol's versions per RpcKind and its method fingerprints.";
  }

  @Override
  public String synopsis() {
    return "tusk list HOST:PORT --protocol NAME";
  }

  @Override
  public List<Option> options() {
    return List.of();
  }

  @Override
  public int run(CommandLine line, PrintStream out) {
    throw new UnsupportedOperationException("tusk list is not implemented yet");
  }
}
