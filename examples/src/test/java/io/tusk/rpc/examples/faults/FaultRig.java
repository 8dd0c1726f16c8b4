package io.tusk.rpc.examples.faults;

import io.tusk.rpc.RPC;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ClientOptions;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.conf.IpcKeys;
import io.tusk.rpc.examples.Calculator;
import io.tusk.rpc.examples.ExampleServer;
import io.tusk.rpc.examples.KeyValueClientSideTranslatorPB;
import io.tusk.rpc.testing.FaultInjectingProxy;
import io.tusk.rpc.testing.Threads;
import io.tusk.rpc.writable.WritableRpcEngine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * The setup every fault test shares: an {@link ExampleServer} (both engines on one port), a
 * {@link FaultInjectingProxy} in front of it, and one {@link Client} with a 2 s RPC timeout and
 * otherwise Hadoop's default settings, whose Writable {@link Calculator} and protobuf key-value
 * proxies connect through the proxy. Every thread carries {@link #name}; {@link #close()} closes
 * client, proxy and server in that order and fails if any of their threads survives.
 */
final class FaultRig implements AutoCloseable {
  static final Duration RPC_TIMEOUT = Duration.ofSeconds(2);
  static final int HANDLERS = 8;

  final String name;
  final ExampleServer server;
  final FaultInjectingProxy proxy;
  final Client client;
  final Calculator calculator;
  final KeyValueClientSideTranslatorPB keyValue;

  FaultRig(String prefix, FaultInjectingProxy.Planner planner) throws IOException {
    this.name = Threads.uniqueName(prefix);
    ExampleServer srv = ExampleServer.start(new Configuration(), "127.0.0.1", 0, HANDLERS, null,
        name + "-srv");
    FaultInjectingProxy p = null;
    try {
      p = FaultInjectingProxy.start(name + "-fip", loopback(srv.address()), planner);
      this.client = Client.builder().name(name + "-cli").options(clientOptions()).build();
    } catch (IOException | RuntimeException e) {
      if (p != null) {
        p.close();
      }
      srv.close();
      throw e;
    }
    this.server = srv;
    this.proxy = p;
    this.calculator = new WritableRpcEngine().getProxy(Calculator.class, Calculator.VERSION,
        ConnectionId.of(proxy.address(), Calculator.NAME), client);
    this.keyValue = KeyValueClientSideTranslatorPB.connect(client, proxy.address());
  }

  /** Hadoop's client defaults but for the RPC timeout, read from the keys users set. */
  static ClientOptions clientOptions() {
    Configuration conf = ExampleServer.withEngines(new Configuration());
    conf.setInt(IpcKeys.CLIENT_RPC_TIMEOUT_MS, (int) RPC_TIMEOUT.toMillis());
    return ClientOptions.fromConfiguration(conf);
  }

  private static InetSocketAddress loopback(InetSocketAddress bound) {
    return new InetSocketAddress("127.0.0.1", bound.getPort());
  }

  /** A clear failure of a call through the proxy: an IOException naming its address. */
  Predicate<Throwable> clearFailure() {
    return CallLoad.ioExceptionNaming(proxy.address());
  }

  /** Connections the server holds open now. */
  int serverConnections() {
    return server.server().server().getNumOpenConnections();
  }

  /** The facade server, for metrics. */
  RPC.Server facade() {
    return server.server();
  }

  @Override
  public void close() throws IOException {
    try {
      keyValue.close();
      client.close();
      proxy.close();
    } finally {
      server.close();
    }
    Threads.assertNoneAlive(name, Duration.ofSeconds(10));
  }
}
