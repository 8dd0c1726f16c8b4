package io.tusk.rpc.testkit;

import io.tusk.rpc.RPC;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcNoSuchProtocolException;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.server.ProtocolRegistry;
import io.tusk.rpc.spi.ClientEngine;
import io.tusk.rpc.spi.ProtocolBinding;
import io.tusk.rpc.spi.ProxyOptions;
import io.tusk.rpc.spi.RequestDecoder;
import io.tusk.rpc.spi.RpcInvoker;
import io.tusk.rpc.spi.ServerEngine;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A third-party-style engine built from {@code io.tusk.rpc.spi} alone, taking
 * {@link RpcKind#RPC_BUILTIN}: the request is a UTF-8 line, the response the line the hosted
 * {@link LineService} returns. The protocol is the connection's (from its connection context),
 * since a line carries no header; hosting checks that the implementation is a LineService.
 */
final class LineEngine implements ServerEngine<String>, ClientEngine {
  static final String ID = "testkit.line";

  private final RequestDecoder<String> decoder =
      bytes -> StandardCharsets.UTF_8.decode(bytes).toString();

  private final RpcInvoker<String> invoker = (protocols, call, line) -> {
    ProtocolBinding binding = protocols.highest(call.protocol());
    if (binding == null) {
      throw new RpcNoSuchProtocolException("Unknown protocol: " + call.protocol());
    }
    String answer = ((LineService) binding.implementation()).apply(line);
    return RpcPayload.ofBytes(answer.getBytes(StandardCharsets.UTF_8));
  };

  @Override
  public String id() {
    return ID;
  }

  @Override
  public RpcKind kind() {
    return RpcKind.RPC_BUILTIN;
  }

  @Override
  public RequestDecoder<String> decoder() {
    return decoder;
  }

  @Override
  public RpcInvoker<String> invoker() {
    return invoker;
  }

  @Override
  public void host(ProtocolRegistry registry, Class<?> protocol, Object implementation) {
    if (!(implementation instanceof LineService)) {
      throw new IllegalArgumentException("the line engine hosts LineService implementations, not "
          + implementation.getClass().getName());
    }
    registry.add(RpcKind.RPC_BUILTIN, RPC.getProtocolName(protocol),
        RPC.getProtocolVersion(protocol), protocol, implementation);
  }

  /** A proxy of {@code protocol}, which must be {@link LineService} or extend it. */
  @Override
  public <T> T newProxy(Class<T> protocol, ConnectionId remote, Client client,
      ProxyOptions options) {
    if (!protocol.isInterface() || !LineService.class.isAssignableFrom(protocol)) {
      throw new IllegalArgumentException("the line engine makes LineService proxies, not "
          + protocol.getName());
    }
    AtomicBoolean closed = new AtomicBoolean();
    InvocationHandler handler = (proxy, method, args) -> {
      switch (method.getName()) {
        case "apply":
          if (closed.get()) {
            throw new java.io.IOException("closed");
          }
          return call(client, remote, options, (String) args[0]);
        case "close":
          if (closed.compareAndSet(false, true)) {
            options.onClose().run();
          }
          return null;
        case "hashCode":
          return System.identityHashCode(proxy);
        case "equals":
          return proxy == args[0];
        case "toString":
          return "LineProxy[" + remote + "]";
        default:
          throw new UnsupportedOperationException(method.toString());
      }
    };
    return protocol.cast(Proxy.newProxyInstance(protocol.getClassLoader(),
        new Class<?>[] {protocol}, handler));
  }

  private static String call(Client client, ConnectionId remote, ProxyOptions options,
      String line) throws java.io.IOException {
    RpcPayload request = RpcPayload.ofBytes(line.getBytes(StandardCharsets.UTF_8));
    ByteBuffer answer = options.rpcTimeout() == null
        ? client.call(RpcKind.RPC_BUILTIN, request, remote)
        : client.call(RpcKind.RPC_BUILTIN, request, remote, options.rpcTimeout());
    return StandardCharsets.UTF_8.decode(answer).toString();
  }
}
