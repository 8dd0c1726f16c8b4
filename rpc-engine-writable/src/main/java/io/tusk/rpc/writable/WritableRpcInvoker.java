package io.tusk.rpc.writable;

import io.tusk.rpc.RPC;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.RpcServerException;
import io.tusk.rpc.server.CallContext;
import io.tusk.rpc.spi.ProtocolBinding;
import io.tusk.rpc.spi.ProtocolBindings;
import io.tusk.rpc.spi.RpcInvoker;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

/**
 * The server side of the Writable engine: runs one decoded {@link Invocation} on a handler thread,
 * with the checks and errors of Hadoop 3.4.2's {@code WritableRpcEngine.Server.WritableRpcInvoker}.
 *
 * <ol>
 *   <li>rpcVersion other than 2 → {@link RpcServerException} {@code WritableRpc version mismatch,
 *       client side version=V, server side version=2} (ERROR_RPC_SERVER, as Hadoop).</li>
 *   <li>Methods of {@code org.apache.hadoop.ipc.VersionedProtocol} go to the highest version of
 *       the connection's protocol; others to (declaring protocol name, client version).
 *       Nothing of that name → {@code RpcServerException("Unknown protocol: NAME")}; the name but
 *       not the version → {@link RPC.VersionMismatch}.</li>
 *   <li>No such method → {@code IOException("java.lang.NoSuchMethodException: P.m(types)")}.</li>
 *   <li>The method throws an {@link IOException} → it travels as is (its class and message);
 *       anything else becomes {@code IOException(target.toString())}, as Hadoop sends it.</li>
 *   <li>The return value is written as an {@link ObjectWritable} declared as the method's return
 *       type (arrays element by element, never compact).</li>
 * </ol>
 * Keeps no state of its own: methods are cached per {@link ProtocolBinding}; thread-safe.
 */
final class WritableRpcInvoker implements RpcInvoker<Invocation> {
  private final WireClassResolver resolver;

  WritableRpcInvoker(WireClassResolver resolver) {
    this.resolver = resolver;
  }

  @Override
  public RpcPayload call(ProtocolBindings protocols, CallContext call, Invocation invocation)
      throws IOException {
    if (invocation.getRpcVersion() != Invocation.WRITABLE_RPC_VERSION) {
      throw new RpcServerException("WritableRpc version mismatch, client side version="
          + invocation.getRpcVersion() + ", server side version="
          + Invocation.WRITABLE_RPC_VERSION);
    }
    ProtocolBinding entry = target(protocols, call == null ? null : call.protocol(), invocation);
    Class<?> protocol = entry.protocol() != null
        ? entry.protocol() : entry.implementation().getClass();
    Method method;
    Object value;
    try {
      method = method(entry, protocol, invocation.getMethodName(),
          invocation.getParameterClasses());
      value = method.invoke(entry.implementation(), invocation.getParameters());
    } catch (InvocationTargetException e) {
      Throwable target = e.getCause();
      if (target instanceof IOException io) {
        throw io;
      }
      throw withStack(new IOException(String.valueOf(target)), target);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // NoSuchMethodException, IllegalAccessException, argument mismatches: as Hadoop sends them
      throw withStack(new IOException(e.toString()), e);
    }
    return new ReturnValue(method.getReturnType(), value, resolver);
  }

  /** A method of the binding's protocol, as the binding resolved and cached it. */
  private record MethodKey(String name, List<Class<?>> parameters) {}

  /**
   * The method {@code name(parameters)} from the binding's per-method cache (the binding belongs
   * to one implementation, so a replaced implementation starts with an empty cache).
   *
   * @throws NoSuchMethodException with the JDK's message when there is none
   */
  private static Method method(ProtocolBinding binding, Class<?> protocol, String name,
      Class<?>[] parameters) throws NoSuchMethodException {
    Method method = binding.method(new MethodKey(name, List.of(parameters)), key -> {
      try {
        return ServerMethods.find(protocol, name, parameters);
      } catch (NoSuchMethodException e) {
        return null; // not cached: thrown below
      }
    });
    return method != null ? method : ServerMethods.find(protocol, name, parameters);
  }

  /** The implementation a call goes to (see the class comment, step 2). */
  static ProtocolBinding target(ProtocolBindings protocols, String connectionProtocol,
      Invocation invocation) throws RpcServerException {
    String name = invocation.getProtocolName();
    if (name.equals(WireClassResolver.VERSIONED_PROTOCOL_NAME)) {
      ProtocolBinding highest = protocols.highest(connectionProtocol);
      if (highest == null) {
        throw new RpcServerException("Unknown protocol: " + connectionProtocol);
      }
      return highest;
    }
    long version = invocation.getClientVersion();
    ProtocolBinding exact = protocols.get(name, version);
    if (exact != null) {
      return exact;
    }
    ProtocolBinding highest = protocols.highest(name);
    if (highest == null) {
      throw new RpcServerException("Unknown protocol: " + name);
    }
    throw new RPC.VersionMismatch(name, version, highest.version());
  }

  private static IOException withStack(IOException e, Throwable from) {
    if (from != null) {
      e.setStackTrace(from.getStackTrace());
    }
    return e;
  }

  /** A return value as the response payload; prints the value (for verbose logging). */
  static final class ReturnValue implements RpcPayload {
    private final Class<?> type;
    private final Object value;
    private final WireClassResolver resolver;

    ReturnValue(Class<?> type, Object value, WireClassResolver resolver) {
      this.type = type;
      this.value = value;
      this.resolver = resolver;
    }

    @Override
    public void writeTo(DataOutputStream out) throws IOException {
      ObjectWritable.writeObject(out, value, type, false, resolver);
    }

    @Override
    public String toString() {
      return value != null && value.getClass().isArray()
          ? Arrays.deepToString(new Object[] {value}) : String.valueOf(value);
    }
  }
}
