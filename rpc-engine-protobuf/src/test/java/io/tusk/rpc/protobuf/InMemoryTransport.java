package io.tusk.rpc.protobuf;

import io.tusk.rpc.RemoteException;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.RpcServerException;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.server.ProtocolRegistry;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client transport that runs the engine's server half in memory, mapping exceptions to a
 * {@link RemoteException} the way the core server and client do (wire name, message, code).
 */
final class InMemoryTransport implements ProtobufInvocationHandler.Transport {
  private final ProtocolRegistry protocols;
  private final String connectionProtocol;
  private final ProtobufRequestDecoder decoder = new ProtobufRequestDecoder();
  private final ProtobufRpcInvoker invoker = new ProtobufRpcInvoker();
  final AtomicInteger calls = new AtomicInteger();

  InMemoryTransport(ProtocolRegistry protocols, String connectionProtocol) {
    this.protocols = protocols;
    this.connectionProtocol = connectionProtocol;
  }

  static byte[] bytesOf(RpcPayload payload) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    payload.writeTo(out);
    out.flush();
    return bytes.toByteArray();
  }

  @Override
  public ByteBuffer call(RpcPayload request) throws IOException {
    calls.incrementAndGet();
    Object decoded = decoder.decode(ByteBuffer.wrap(bytesOf(request)));
    try {
      return ByteBuffer.wrap(bytesOf(invoker.call(protocols, connectionProtocol,
          (ProtobufRequest) decoded)));
    } catch (RpcServerException e) {
      throw new RemoteException(RemoteException.wireName(e.getClass()), e.getMessage(),
          e.errorCode());
    } catch (Exception e) {
      throw new RemoteException(RemoteException.wireName(e.getClass()), e.getMessage(),
          RpcErrorCodeProto.ERROR_APPLICATION);
    }
  }
}
