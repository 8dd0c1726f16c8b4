package io.tusk.rpc.examples.bench;

import io.tusk.rpc.RPC;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.examples.Calculator;
import io.tusk.rpc.examples.SimpleCalculator;
import io.tusk.rpc.server.RpcMetrics;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The server side of {@code tusk bench}: one {@link RPC.Server} hosting both echo calls the load
 * generator makes, {@link Calculator#echo} over the Writable engine and
 * {@link BenchmarkProtocolPB#echo} over the protobuf engine, so one server serves either
 * {@link BenchEngine}. Its threads are named after {@link #threadPrefix()}, which is how the
 * benchmark finds them to measure their CPU time.
 */
public final class BenchServer implements AutoCloseable {
  private final RPC.Server server;
  private final String name;

  private BenchServer(RPC.Server server, String name) {
    this.server = server;
    this.name = name;
  }

  /**
   * Builds and starts the server.
   *
   * @param bindAddress the address to listen on, e.g. {@code 127.0.0.1}
   * @param port the port, 0 for an ephemeral one
   * @param handlers handler threads (at least 1)
   * @param readers reader threads (at least 1)
   * @param name the server's name: its threads are called {@code <name>-handler-0@port} etc.
   */
  public static BenchServer start(String bindAddress, int port, int handlers, int readers,
      String name) throws IOException {
    return start(bindAddress, port, handlers, readers, name, new Configuration());
  }

  /** {@link #start(String, int, int, int, String)} over {@code settings} (copied). */
  public static BenchServer start(String bindAddress, int port, int handlers, int readers,
      String name, Configuration settings) throws IOException {
    Configuration conf = BenchEngine.configuration(settings);
    RPC.Server server = new RPC.Builder(conf).setProtocol(Calculator.class)
        .setInstance(new SimpleCalculator()).setBindAddress(bindAddress).setPort(port)
        .setNumHandlers(handlers).setNumReaders(readers).setName(name).build();
    try {
      server.addProtocol(RpcKind.RPC_PROTOCOL_BUFFER, BenchmarkProtocolPB.class,
          BenchmarkServerSideTranslatorPB.newService());
      server.start();
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return new BenchServer(server, name);
  }

  /** The address the server listens on. */
  public InetSocketAddress address() {
    return server.getListenerAddress();
  }

  /** Every thread of this server has a name starting with this. */
  public String threadPrefix() {
    return name + "-";
  }

  /** The server's call statistics (calls of every protocol it hosts). */
  public RpcMetrics metrics() {
    return server.server().metrics();
  }

  /** Stops the server and joins its threads; idempotent. */
  @Override
  public void close() {
    server.close();
  }
}
