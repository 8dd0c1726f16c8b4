package io.tusk.rpc.protobuf;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.proto.ProtobufEngineProtos.RequestHeaderProto;
import io.tusk.rpc.wire.DelimitedMessages;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls one protobuf-engine method known only by its descriptor: no generated classes, no PB
 * interface. Used by tools (e.g. {@code tusk call}) that read the service from a descriptor set at
 * run time, and by anyone who wants to call a Hadoop or Tusk protobuf server generically.
 *
 * <p>The call is byte for byte what a proxy made by {@link ProtobufRpcEngine} sends, with kind
 * {@link RpcKind#RPC_PROTOCOL_BUFFER}:
 *
 * <pre>
 * request payload  = delimited RequestHeaderProto{methodName = method.getName(),
 *                      declaringClassProtocolName = protocol, clientProtocolVersion = version}
 *                  | delimited request
 * response payload = delimited response, parsed as a DynamicMessage of method.getOutputType()
 * </pre>
 *
 * <p>Unlike a proxy, failures are not wrapped in {@code ServiceException}: a server-side error
 * arrives as the {@link io.tusk.rpc.RemoteException} the client raised, a connection failure as
 * its {@link IOException}. A static helper rather than a method of {@link ProtobufRpcEngine},
 * which implements the engine SPI for typed proxies; this class has the one job of a typeless call.
 */
public final class DynamicProtobufCall {
  private DynamicProtobufCall() {}

  /**
   * The request headers of one client's dynamic calls, built once per (protocol, version, method)
   * as a proxy's {@link MethodTable} builds them once per method; kept as the client's
   * {@link Client#attribute attribute}, so they go when it closes. Bounded: past
   * {@link #MAX_CACHED} distinct methods, headers are built per call instead.
   */
  static final class Headers {
    static final int MAX_CACHED = 1024;

    private record Key(String protocol, long version, MethodDescriptor method) {}

    private final ConcurrentHashMap<Key, RequestHeaderProto> cache = new ConcurrentHashMap<>();

    RequestHeaderProto of(String protocol, long version, MethodDescriptor method) {
      Key key = new Key(protocol, version, method);
      RequestHeaderProto header = cache.get(key);
      if (header == null) {
        header = ProtobufPayloads.header(method.getName(), protocol, version);
        if (cache.size() < MAX_CACHED) {
          cache.putIfAbsent(key, header);
        }
      }
      return header;
    }

    int size() {
      return cache.size();
    }
  }

  /**
   * Calls {@code method} and waits at most the client's RPC timeout.
   *
   * @see #call(Client, ConnectionId, String, long, MethodDescriptor, Message, Duration)
   */
  public static DynamicMessage call(Client client, ConnectionId remote, String protocol,
      long version, MethodDescriptor method, Message request) throws IOException {
    return call(client, remote, protocol, version, method, request,
        client.options().rpcTimeout());
  }

  /**
   * Calls {@code method} of {@code protocol} on {@code remote} through {@code client}.
   *
   * @param client the client whose connection carries the call (not closed here)
   * @param remote the server and the protocol name of the connection context (usually {@code
   *     protocol})
   * @param protocol the protocol name in the request header, e.g.
   *     {@code org.apache.hadoop.hdfs.protocol.ClientProtocol}
   * @param version the protocol version in the request header (the server must host it)
   * @param method the method; its name is sent, its output type parses the response
   * @param request a message of {@code method}'s input type (generated or dynamic)
   * @param timeout how long to wait for the response; {@link Duration#ZERO} waits without limit
   * @return the response as a dynamic message of {@code method.getOutputType()}
   * @throws IllegalArgumentException when {@code request} is not of the method's input type
   * @throws io.tusk.rpc.RemoteException when the server answered with an error
   * @throws IOException when the call failed or the response could not be parsed
   */
  public static DynamicMessage call(Client client, ConnectionId remote, String protocol,
      long version, MethodDescriptor method, Message request, Duration timeout)
      throws IOException {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(remote, "remote");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(request, "request");
    if (!request.getDescriptorForType().getFullName().equals(
        method.getInputType().getFullName())) {
      throw new IllegalArgumentException("request of " + method.getFullName() + " must be a "
          + method.getInputType().getFullName() + ", not a "
          + request.getDescriptorForType().getFullName());
    }
    RequestHeaderProto header =
        client.attribute(Headers.class, Headers::new).of(protocol, version, method);
    ByteBuffer response = client.call(RpcKind.RPC_PROTOCOL_BUFFER,
        ProtobufPayloads.request(header, request), remote, timeout);
    try {
      return DelimitedMessages.parse(DynamicMessage.getDefaultInstance(method.getOutputType()),
          response);
    } catch (InvalidProtocolBufferException e) {
      throw new IOException("cannot parse the response of " + protocol + "." + method.getName()
          + " from " + remote.address() + " as " + method.getOutputType().getFullName() + ": "
          + e.getMessage(), e);
    }
  }
}
