package io.tusk.rpc.examples;

import io.tusk.rpc.RPC;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.examples.proto.KeyValueProtos.KeyValueService;
import io.tusk.rpc.protobuf.ProtobufRpcEngine;
import io.tusk.rpc.protobuf.ProtocolMetaInfoPB;
import io.tusk.rpc.server.ProtocolEntry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.List;

/**
 * One server hosting both example protocols on one port: {@link Calculator} over the Writable
 * engine and {@link KeyValueProtocolPB} over the protobuf engine (plus the protocol meta-info
 * service every facade-built server hosts). Used by {@code tusk demo} and {@code tusk serve}.
 */
public final class ExampleServer implements AutoCloseable {
  private final RPC.Server server;

  private ExampleServer(RPC.Server server) {
    this.server = server;
  }

  /**
   * Builds and starts the server.
   *
   * @param conf server settings (the {@code ipc.server.*} keys); {@code rpc.engine.*} for the
   *     example protocols is set on a copy
   * @param bindAddress the address to listen on, e.g. {@code 127.0.0.1}
   * @param port the port, 0 for an ephemeral one
   * @param handlers handler threads, or {@code null} for the configured default
   * @param readers reader threads, or {@code null} for the configured default
   * @param name the name in the server's thread names
   */
  public static ExampleServer start(Configuration conf, String bindAddress, int port,
      Integer handlers, Integer readers, String name) throws IOException {
    Configuration serverConf = withEngines(conf);
    RPC.Builder builder = new RPC.Builder(serverConf).setProtocol(Calculator.class)
        .setInstance(new SimpleCalculator()).setBindAddress(bindAddress).setPort(port)
        .setName(name);
    if (handlers != null) {
      builder.setNumHandlers(handlers);
    }
    if (readers != null) {
      builder.setNumReaders(readers);
    }
    RPC.Server server = builder.build();
    try {
      server.addProtocol(RpcKind.RPC_PROTOCOL_BUFFER, KeyValueProtocolPB.class,
          KeyValueService.newReflectiveBlockingService(
              new KeyValueServerSideTranslatorPB(new InMemoryKeyValueStore())));
      server.start();
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return new ExampleServer(server);
  }

  /**
   * A copy of {@code conf} in which the protobuf example protocol and the meta-info protocol use
   * the protobuf engine; {@link Calculator} keeps the default (Writable) engine. Clients of this
   * server use the same settings.
   */
  public static Configuration withEngines(Configuration conf) {
    Configuration copy = new Configuration(conf);
    RPC.setProtocolEngine(copy, KeyValueProtocolPB.class, ProtobufRpcEngine.class);
    RPC.setProtocolEngine(copy, ProtocolMetaInfoPB.class, ProtobufRpcEngine.class);
    return copy;
  }

  /** The address the server listens on. */
  public InetSocketAddress address() {
    return server.getListenerAddress();
  }

  /** Every hosted protocol, ordered by name, kind and version. */
  public List<ProtocolEntry> protocols() {
    return server.server().protocols().all().stream()
        .sorted(Comparator.comparing(ProtocolEntry::name).thenComparing(ProtocolEntry::kind)
            .thenComparingLong(ProtocolEntry::version))
        .toList();
  }

  /** The facade server behind this one (metrics, thread names). */
  public RPC.Server server() {
    return server;
  }

  /** Stops the server and joins its threads; idempotent. */
  @Override
  public void close() {
    server.close();
  }
}
