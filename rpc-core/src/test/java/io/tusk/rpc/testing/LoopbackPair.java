package io.tusk.rpc.testing;

import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.server.Server;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A started core server and a client connected to it over loopback, for tests that call one
 * engine of kind {@link RpcKind#RPC_BUILTIN} with text: the server is named {@code name-srv},
 * the client {@code name-cli}, and {@link #close()} closes both and checks that no thread named
 * after {@code name} is left.
 */
public final class LoopbackPair implements AutoCloseable {
  private final String name;
  private final Server server;
  private final Client client;
  private final ConnectionId remote;

  private LoopbackPair(String name, Server server, Client client, String protocol) {
    this.name = name;
    this.server = server;
    this.client = client;
    this.remote = ConnectionId.of(new InetSocketAddress("127.0.0.1",
        server.getListenerAddress().getPort()), protocol);
  }

  /**
   * Builds and starts {@code server} (named here), then builds {@code client} (named here) for
   * calls to {@code protocol}. The server is closed again when the client cannot be built.
   */
  public static LoopbackPair start(String name, Server.Builder server, Client.Builder client,
      String protocol) throws IOException {
    Server started = server.name(name + "-srv").build().start();
    try {
      return new LoopbackPair(name, started, client.name(name + "-cli").build(), protocol);
    } catch (RuntimeException e) {
      started.close();
      throw e;
    }
  }

  /** {@link #start(String, Server.Builder, Client.Builder, String)} with a default client. */
  public static LoopbackPair start(String name, Server.Builder server, String protocol)
      throws IOException {
    return start(name, server, Client.builder(), protocol);
  }

  public Server server() {
    return server;
  }

  public Client client() {
    return client;
  }

  /** The server's address and {@code protocol}, with the current user. */
  public ConnectionId remote() {
    return remote;
  }

  /** UTF-8 bytes of {@code text} as a payload. */
  public static RpcPayload text(String text) {
    return RpcPayload.ofBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The rest of {@code answer} as UTF-8 text. */
  public static String text(ByteBuffer answer) {
    return StandardCharsets.UTF_8.decode(answer).toString();
  }

  /** A blocking {@link RpcKind#RPC_BUILTIN} call with {@code request} as text, answered as text. */
  public String call(String request) throws IOException {
    return text(client.call(RpcKind.RPC_BUILTIN, text(request), remote));
  }

  /** Closes the client, then the server, and checks that their threads ended. */
  @Override
  public void close() {
    try {
      client.close();
    } finally {
      server.close();
    }
    Threads.assertNoneAlive(name, Duration.ofSeconds(10));
  }
}
