package io.tusk.rpc.intercept;

import io.tusk.rpc.spi.ServerEngine;
import io.tusk.rpc.NamedRequest;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.server.CallContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A test engine for {@link RpcKind#RPC_BUILTIN} whose requests are UTF-8 text naming a method
 * ({@code "method:argument"}): the invoker appends {@code "invoker"} to a shared log, records the
 * {@link CallContext} it ran with, throws {@code IOException(argument)} for method {@code throw},
 * answers {@code argument} bytes of {@code 'x'} for {@code repeat}, sleeps {@code argument}
 * milliseconds first for {@code sleep}, and otherwise answers the
 * argument upper-cased. Payloads print as {@code payload(TEXT)}.
 */
final class TextEngine {
  /** A decoded request: {@code method:argument}, protocol {@code test.TextProtocol}. */
  record Text(String method, String argument) implements NamedRequest {
    @Override
    public String methodName() {
      return method;
    }

    @Override
    public String protocolName() {
      return "test.TextProtocol";
    }

    @Override
    public String toString() {
      return method + "(" + argument + ")";
    }
  }

  final List<String> log;
  final BlockingQueue<CallContext> contexts = new LinkedBlockingQueue<>();

  TextEngine(List<String> log) {
    this.log = log;
  }

  ServerEngine<Object> registration() {
    return ServerEngine.<Object>of("test.text", RpcKind.RPC_BUILTIN, bytes -> {
      byte[] b = new byte[bytes.remaining()];
      bytes.get(b);
      String text = new String(b, StandardCharsets.UTF_8);
      int colon = text.indexOf(':');
      return colon < 0 ? new Text(text, "") : new Text(text.substring(0, colon),
          text.substring(colon + 1));
    }, (server, call, request) -> {
      log.add("invoker");
      contexts.add(call);
      Text text = (Text) request;
      if (text.method().equals("throw")) {
        throw new IOException(text.argument());
      }
      if (text.method().equals("sleep")) {
        Thread.sleep(Long.parseLong(text.argument()));
      }
      if (text.method().equals("repeat")) {
        return RpcPayload.ofBytes("x".repeat(Integer.parseInt(text.argument()))
            .getBytes(StandardCharsets.UTF_8));
      }
      return payload(text.argument().toUpperCase());
    });
  }

  static RpcPayload payload(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return new RpcPayload() {
      @Override
      public void writeTo(java.io.DataOutputStream out) throws IOException {
        out.write(bytes);
      }

      @Override
      public String toString() {
        return "payload(" + text + ")";
      }
    };
  }
}
