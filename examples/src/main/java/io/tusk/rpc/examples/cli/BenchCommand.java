package io.tusk.rpc.examples.cli;

import java.io.PrintStream;
import java.util.List;

/** {@code tusk bench}: load generator, options as Hadoop's RPCCallBenchmark. */
final class BenchCommand implements Command {
  @Override
  public String name() {
    return "bench";
  }

  @Override
  public String summary() {
    return "Load generator, options as Hadoop's RPCCallBenchmark.";
  }

  @Override
  public String synopsis() {
    return "tusk bench [-e writable|protobuf] [-c N] [-s N] [-r N] [-m BYTES] [-t SECONDS] [-h HOST] [-p PORT]";
  }

  @Override
  public List<Option> options() {
    return List.of();
  }

  @Override
  public int run(CommandLine line, PrintStream out) {
    throw new UnsupportedOperationException("tusk bench is not implemented yet");
  }
}
