package io.tusk.rpc.protobuf;

import com.google.protobuf.Message;
import com.google.protobuf.ServiceException;
import io.tusk.rpc.RpcInvocationHandler;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.wire.DelimitedMessages;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client half of the protobuf engine: turns {@code resp = proxy.m(controller, req)} into one
 * call carrying {@code delimited(RequestHeaderProto) | delimited(req)} and parses the SUCCESS
 * payload as a delimited message of {@code m}'s return type.
 *
 * <p>Every failure (remote error, broken connection, timeout, unparsable response) reaches the
 * caller as a {@link ServiceException} whose cause is the {@link IOException}, which is what
 * generated blocking interfaces declare and what client-side translators unwrap (see
 * {@link ProtobufHelper#ipc}). {@code toString}, {@code equals} and {@code hashCode} run locally.
 * As an {@link RpcInvocationHandler} it tells {@link io.tusk.rpc.RPC#getConnectionIdForProxy} and
 * {@link RpcClientUtil} where the proxy's calls go.
 */
final class ProtobufInvocationHandler implements RpcInvocationHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ProtobufInvocationHandler.class);

  /** Sends one request payload and returns the response payload; the seam tests replace. */
  @FunctionalInterface
  interface Transport {
    ByteBuffer call(RpcPayload request) throws IOException;
  }

  private final Class<?> protocol;
  private final MethodTable methods;
  private final ConnectionId remote;
  private final Client client;
  private final Transport transport;
  /** Told once when the user closes the proxy (the facade gives the client reference back). */
  private final Runnable onClose;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  ProtobufInvocationHandler(Class<?> protocol, ConnectionId remote, Client client,
      Transport transport, Runnable onClose) {
    this.protocol = protocol;
    this.methods = MethodTable.of(protocol);
    this.remote = remote;
    this.client = client;
    this.transport = transport;
    this.onClose = onClose;
  }

  /** A proxy implementing {@code protocol} and {@link ProtobufProxy}, calling through this. */
  <T> T newProxy() {
    Class<?>[] interfaces = protocol == ProtobufProxy.class
        ? new Class<?>[] {ProtobufProxy.class}
        : new Class<?>[] {protocol, ProtobufProxy.class};
    return castProxy(Proxy.newProxyInstance(protocol.getClassLoader(), interfaces, this));
  }

  @SuppressWarnings("unchecked")
  private static <T> T castProxy(Object proxy) {
    return (T) proxy;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    MethodTable.Entry entry = methods.get(method);
    if (entry != null) {
      return call(entry, args);
    }
    return invokeLocal(proxy, method, args);
  }

  private Message call(MethodTable.Entry entry, Object[] args) throws ServiceException {
    if (closed.get()) {
      throw new ServiceException(new IOException("proxy for " + methods.protocolName()
          + " at " + remote + " is closed"));
    }
    // args[0] is the RpcController, which this engine ignores, as Hadoop's does.
    Message request = (Message) args[1];
    if (request == null) {
      throw new ServiceException("null request while calling " + entry.methodName());
    }
    ByteBuffer response;
    try {
      response = transport.call(ProtobufPayloads.request(entry.header(), request));
    } catch (IOException | RuntimeException e) {
      LOG.debug("{}.{} to {} failed", methods.protocolName(), entry.methodName(), remote, e);
      throw new ServiceException(e);
    }
    try {
      return DelimitedMessages.parse(entry.responsePrototype(), response);
    } catch (IOException e) {
      throw new ServiceException(new IOException("cannot parse the response of "
          + methods.protocolName() + "." + entry.methodName() + " from " + remote
          + " as " + entry.responsePrototype().getDescriptorForType().getFullName()
          + ": " + e.getMessage(), e));
    }
  }

  private Object invokeLocal(Object proxy, Method method, Object[] args) {
    String name = method.getName();
    int arity = method.getParameterCount();
    if (arity == 0) {
      switch (name) {
        case "toString":
          return toString();
        case "hashCode":
          return System.identityHashCode(proxy);
        case "close":
          close();
          return null;
        case "connectionId":
          return remote;
        case "client":
          return client;
        default:
          break;
      }
    } else if (arity == 1 && name.equals("equals") && method.getParameterTypes()[0]
        == Object.class) {
      return proxy == args[0];
    }
    throw new UnsupportedOperationException(method + " is not an RPC method of "
        + protocol.getName() + ": protobuf protocol methods look like "
        + "'Resp m(RpcController controller, Req request) throws ServiceException'");
  }

  @Override
  public ConnectionId getConnectionId() {
    return remote;
  }

  @Override
  public Client getClient() {
    return client;
  }

  private void close() {
    if (closed.compareAndSet(false, true)) {
      LOG.debug("closed proxy {}", this);
      onClose.run();
    }
  }

  @Override
  public String toString() {
    return "ProtobufProxy[" + methods.protocolName() + " v" + methods.protocolVersion() + " -> "
        + remote + (closed.get() ? ", closed" : "") + "]";
  }
}
