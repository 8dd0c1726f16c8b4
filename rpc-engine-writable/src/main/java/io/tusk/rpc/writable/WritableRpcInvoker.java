package io.tusk.rpc.writable;

import io.tusk.rpc.RPC;
import io.tusk.rpc.RpcInvoker;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.RpcServerException;
import io.tusk.rpc.server.CallContext;
import io.tusk.rpc.server.ProtocolEntry;
import io.tusk.rpc.server.ProtocolRegistry;
import io.tusk.rpc.server.Server;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;

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
 * Stateless apart from the method cache ({@link ServerMethods}); thread-safe.
 */
final class WritableRpcInvoker implements RpcInvoker {
  private final WireClassResolver resolver;

  WritableRpcInvoker(WireClassResolver resolver) {
    this.resolver = resolver;
  }

  @Override
  public RpcPayload call(Server server, CallContext call, Object request) throws IOException {
    Invocation invocation = (Invocation) request;
    if (invocation.getRpcVersion() != Invocation.WRITABLE_RPC_VERSION) {
      throw new RpcServerException("WritableRpc version mismatch, client side version="
          + invocation.getRpcVersion() + ", server side version="
          + Invocation.WRITABLE_RPC_VERSION);
    }
    ProtocolEntry entry = target(server.protocols(), call == null ? null : call.protocol(),
        invocation);
    Class<?> protocol = entry.protocolClass() != null
        ? entry.protocolClass() : entry.implementation().getClass();
    Method method;
    Object value;
    try {
      method = ServerMethods.find(protocol, invocation.getMethodName(),
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

  /** The implementation a call goes to (see the class comment, step 2). */
  static ProtocolEntry target(ProtocolRegistry registry, String connectionProtocol,
      Invocation invocation) throws RpcServerException {
    String name = invocation.getProtocolName();
    if (name.equals(WireClassResolver.VERSIONED_PROTOCOL_NAME)) {
      return registry.highest(RpcKind.RPC_WRITABLE, connectionProtocol)
          .orElseThrow(() -> new RpcServerException("Unknown protocol: " + connectionProtocol));
    }
    long version = invocation.getClientVersion();
    Optional<ProtocolEntry> exact = registry.get(RpcKind.RPC_WRITABLE, name, version);
    if (exact.isPresent()) {
      return exact.get();
    }
    ProtocolEntry highest = registry.highest(RpcKind.RPC_WRITABLE, name)
        .orElseThrow(() -> new RpcServerException("Unknown protocol: " + name));
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
