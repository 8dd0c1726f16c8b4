package io.tusk.rpc.testing;

import io.tusk.rpc.spi.ServerEngine;
import io.tusk.rpc.spi.RequestDecoder;
import io.tusk.rpc.spi.RpcInvoker;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.server.CallContext;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.spi.ProtocolBindings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A test engine for {@link RpcKind#RPC_BUILTIN}: requests are raw bytes, answered by these rules.
 *
 * <ul>
 *   <li>{@code "throw:MESSAGE"} throws {@code IOException(MESSAGE)};
 *       {@code "throw:some.Exception:MESSAGE"} throws that class (it needs a {@code (String)}
 *       constructor) with MESSAGE.</li>
 *   <li>{@code "sleep:MILLIS"} sleeps that long (interruptibly), then echoes the request.</li>
 *   <li>{@code "whoami"} answers {@code Server.getRemoteUser() + " " + Server.getRemoteAddress()}.</li>
 *   <li>anything else is echoed back byte for byte.</li>
 * </ul>
 */
public final class EchoEngine {
  private EchoEngine() {}

  /** The engine to pass to {@code Server.Builder.engine(...)}. */
  public static ServerEngine<byte[]> registration() {
    return ServerEngine.of("test.echo", RpcKind.RPC_BUILTIN, new Decoder(), new Invoker());
  }

  /** Copies the request bytes. */
  static final class Decoder implements RequestDecoder<byte[]> {
    @Override
    public byte[] decode(ByteBuffer request) {
      byte[] bytes = new byte[request.remaining()];
      request.get(bytes);
      return bytes;
    }
  }

  /** Applies the rules above. */
  static final class Invoker implements RpcInvoker<byte[]> {
    @Override
    public RpcPayload call(ProtocolBindings protocols, CallContext call, byte[] request)
        throws Exception {
      byte[] bytes = request;
      String text = bytes.length <= 256 ? new String(bytes, StandardCharsets.UTF_8) : "";
      if (text.startsWith("throw:")) {
        throw failure(text.substring("throw:".length()));
      }
      if (text.startsWith("sleep:")) {
        Thread.sleep(Long.parseLong(text.substring("sleep:".length()).trim()));
      }
      if (text.equals("whoami")) {
        return RpcPayload.ofBytes((Server.getRemoteUser() + " " + Server.getRemoteAddress())
            .getBytes(StandardCharsets.UTF_8));
      }
      return RpcPayload.ofBytes(bytes);
    }

    private static Exception failure(String spec) {
      int colon = spec.indexOf(':');
      if (colon > 0) {
        try {
          Class<?> type = Class.forName(spec.substring(0, colon));
          if (Exception.class.isAssignableFrom(type)) {
            return (Exception) type.getConstructor(String.class)
                .newInstance(spec.substring(colon + 1));
          }
        } catch (ReflectiveOperationException | LinkageError e) {
          // not a class name: the whole spec is the message
        }
      }
      return new IOException(spec);
    }
  }
}
