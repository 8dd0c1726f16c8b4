package io.tusk.rpc.examples.cli;

import io.tusk.rpc.RpcKind;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.examples.ExampleServer;
import io.tusk.rpc.server.ProtocolEntry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code tusk serve}: serves the example protocols until interrupted. Prints the address and each
 * hosted protocol with its engine and version. Ctrl-C (a JVM shutdown) or an interrupt of the
 * running thread closes the server cleanly: in-flight calls finish or fail, every thread is joined.
 */
final class ServeCommand implements Command {
  private static final Option BIND = Option.value("ADDR",
      "address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)", "--bind");
  private static final Option PORT = Option.value("P", "port to listen on (default 0: any free "
      + "port, printed at start)", "--port");
  private static final Option HANDLERS = Option.value("N",
      "handler threads (default ipc.server.handler.count, else 10)", "--handlers");
  private static final Option READERS = Option.value("N",
      "reader threads (default ipc.server.read.threadpool.size, else 1)", "--readers");
  private static final Option CONF = Option.value("FILE",
      "settings file, Hadoop-style XML or .properties (ipc.server.* keys), read after"
      + " --conf-dir", "--conf");

  @Override
  public String name() {
    return "serve";
  }

  @Override
  public String summary() {
    return "Serves the example protocols until interrupted (Ctrl-C).";
  }

  @Override
  public String synopsis() {
    return "tusk serve [--bind ADDR] [--port P] [--handlers N] [--readers N] [--conf-dir DIR]"
        + " [--conf FILE]";
  }

  @Override
  public String details() {
    return """
        Hosts io.tusk.rpc.examples.Calculator (Writable engine),
        io.tusk.rpc.examples.KeyValueProtocol (protobuf engine) and
        org.apache.hadoop.ipc.ProtocolMetaInfoPB on one port. Try it with
        'tusk list HOST:PORT --protocol io.tusk.rpc.examples.KeyValueProtocol' and 'tusk call'.""";
  }

  @Override
  public List<Option> options() {
    return List.of(BIND, PORT, HANDLERS, READERS, ConfDir.OPTION, CONF);
  }

  @Override
  public int run(CommandLine line, PrintStream out) throws Exception {
    line.expectPositionals(0, 0, "no arguments");
    Configuration conf = ConfDir.load(line);
    if (line.has(CONF.name())) {
      Path file = Path.of(line.required(CONF.name()));
      if (!Files.isReadable(file)) {
        throw new UsageException("cannot read the settings file " + file);
      }
      conf.addResource(file); // over the directory's settings, except its final ones
    }
    String bind = line.value(BIND.name(), "127.0.0.1");
    int port = line.intValue(PORT.name(), 0, 0, 65535);
    Integer handlers = line.has(HANDLERS.name())
        ? line.intValue(HANDLERS.name(), 0, 1, 4096) : null;
    Integer readers = line.has(READERS.name()) ? line.intValue(READERS.name(), 0, 1, 256) : null;

    ExampleServer server;
    try {
      server = ExampleServer.start(conf, bind, port, handlers, readers, "tusk-serve");
    } catch (IOException e) {
      throw new IOException("cannot serve on " + bind + ":" + port + ": " + Tusk.describe(e), e);
    }
    Thread shutdownHook = new Thread(server::close, "tusk-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    try {
      printBanner(server, out);
      while (!server.server().server().awaitTermination(Duration.ofSeconds(1))) {
        // serve until a shutdown hook closes the server or this thread is interrupted
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      server.close();
      removeHook(shutdownHook);
    }
    out.println("Stopped.");
    return Tusk.OK;
  }

  private static void printBanner(ExampleServer server, PrintStream out) {
    InetSocketAddress address = server.address();
    out.println("Serving on " + address.getHostString() + ":" + address.getPort());
    for (ProtocolEntry entry : server.protocols()) {
      out.printf("  %-42s version %d  %s engine (%s)%n", entry.name(), entry.version(),
          engineName(entry.kind()), entry.kind());
    }
    out.println("Press Ctrl-C to stop.");
    out.flush();
  }

  private static String engineName(RpcKind kind) {
    return switch (kind) {
      case RPC_WRITABLE -> "Writable";
      case RPC_PROTOCOL_BUFFER -> "protobuf";
      default -> kind.name();
    };
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook is running or has run, which is what we want
    }
  }
}
