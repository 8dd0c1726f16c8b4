package io.tusk.rpc.examples;

import io.tusk.rpc.RPC;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.protobuf.ProtobufRpcEngine;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.testing.Threads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A server hosting the key-value protocol on 127.0.0.1 (ephemeral port) and a client to it, both
 * named uniquely so {@link #close()} can prove that none of their threads survives.
 */
final class Loopback implements AutoCloseable {
  final String name = Threads.uniqueName("kv");
  final InMemoryKeyValueStore store = new InMemoryKeyValueStore();
  final Server server;
  final Client client;
  final InetSocketAddress address;
  final KeyValueClientSideTranslatorPB kv;

  Loopback() throws IOException {
    server = Server.builder().name(name + "-srv").handlerCount(4).readerCount(2).build();
    KeyValueServerSideTranslatorPB.register(server, store);
    server.start();
    client = Client.builder().name(name + "-cli").build();
    address = new InetSocketAddress("127.0.0.1", server.getListenerAddress().getPort());
    kv = KeyValueClientSideTranslatorPB.connect(client, address);
  }

  /** The connection the key-value proxy uses. */
  ConnectionId remote() {
    return ConnectionId.of(address, KeyValueProtocolPB.NAME);
  }

  /** A proxy of another PB interface over the key-value proxy's connection. */
  <T> T proxy(Class<T> protocol) {
    return new ProtobufRpcEngine().getProxy(protocol, RPC.getProtocolVersion(protocol), remote(),
        client);
  }

  @Override
  public void close() throws IOException {
    try {
      kv.close();
      client.close();
    } finally {
      server.close();
    }
    Threads.assertNoneAlive(name, Duration.ofSeconds(10));
  }
}
