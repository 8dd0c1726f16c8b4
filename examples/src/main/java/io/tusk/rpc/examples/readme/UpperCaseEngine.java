package io.tusk.rpc.examples.readme;

import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.spi.ServerEngine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A whole engine in one screen: requests are UTF-8 text, the answer is the text upper-cased. */
public final class UpperCaseEngine {
  static ServerEngine<String> registration() {
    return ServerEngine.of("readme.upper", RpcKind.RPC_BUILTIN,
        bytes -> StandardCharsets.UTF_8.decode(bytes).toString(),     // handler thread: decode
        (protocols, call, request) -> RpcPayload.ofBytes(                // handler thread: run
            request.toUpperCase().getBytes(StandardCharsets.UTF_8)));
  }

  public static String run(String text) throws IOException {
    try (Server server = Server.builder().bindAddress("127.0.0.1").port(0)
            .engine(registration()).build().start();
        Client client = Client.builder().build()) {
      InetSocketAddress address = server.getListenerAddress();
      ByteBuffer answer = client.call(RpcKind.RPC_BUILTIN,
          RpcPayload.ofBytes(text.getBytes(StandardCharsets.UTF_8)),
          ConnectionId.of(address, "upper"));
      return StandardCharsets.UTF_8.decode(answer).toString();
    }
  }

  public static void main(String[] args) throws IOException {
    System.out.println(run("one server, many engines")); // ONE SERVER, MANY ENGINES
  }
}
