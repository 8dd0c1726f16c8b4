package io.tusk.rpc.protobuf;

import com.google.protobuf.Message;
import com.google.protobuf.RpcController;
import io.tusk.rpc.RPC;
import io.tusk.rpc.proto.ProtobufEngineProtos.RequestHeaderProto;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/**
 * Everything the client side needs per method of a protobuf protocol interface, computed once per
 * interface: the request header to send and the prototype that parses the response. Proxies look
 * methods up here instead of reflecting on every call.
 *
 * <p>A protobuf protocol method has the shape {@code Resp m(RpcController, Req)}, as in a
 * generated {@code BlockingInterface}; other methods (e.g. {@code close()}) are not in the table.
 */
final class MethodTable {
  /** What a call of one method sends and expects. */
  record Entry(String methodName, RequestHeaderProto header, Message responsePrototype) {}

  private static final ClassValue<MethodTable> TABLES = new ClassValue<>() {
    @Override
    protected MethodTable computeValue(Class<?> protocol) {
      return new MethodTable(protocol);
    }
  };

  private final String protocolName;
  private final long protocolVersion;
  private final Map<Method, Entry> entries = new HashMap<>();

  private MethodTable(Class<?> protocol) {
    this.protocolName = RPC.getProtocolName(protocol);
    this.protocolVersion = RPC.getProtocolVersion(protocol);
    for (Method method : protocol.getMethods()) {
      if (isRpcMethod(method)) {
        RequestHeaderProto header =
            ProtobufPayloads.header(method.getName(), protocolName, protocolVersion);
        entries.put(method, new Entry(method.getName(), header,
            prototypeOf(method.getReturnType().asSubclass(Message.class))));
      }
    }
  }

  /** The (cached, shared, immutable) table of {@code protocol}. */
  static MethodTable of(Class<?> protocol) {
    return TABLES.get(protocol);
  }

  /** The protocol name sent in every request header. */
  String protocolName() {
    return protocolName;
  }

  /** The protocol version sent in every request header. */
  long protocolVersion() {
    return protocolVersion;
  }

  /** The entry for {@code method}, or {@code null} when it is not an RPC method. */
  Entry get(Method method) {
    return entries.get(method);
  }

  /** Number of RPC methods. */
  int size() {
    return entries.size();
  }

  private static boolean isRpcMethod(Method method) {
    Class<?>[] params = method.getParameterTypes();
    return !Modifier.isStatic(method.getModifiers())
        && params.length == 2
        && params[0] == RpcController.class
        && Message.class.isAssignableFrom(params[1])
        && Message.class.isAssignableFrom(method.getReturnType());
  }

  /** The default instance of a generated message class, through its static getDefaultInstance. */
  static Message prototypeOf(Class<? extends Message> type) {
    try {
      return (Message) type.getMethod("getDefaultInstance").invoke(null);
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalArgumentException("cannot get the default instance of " + type.getName()
          + ": protobuf protocol methods must return generated message classes", e);
    }
  }
}
