package io.tusk.rpc.protobuf;

import com.google.protobuf.BlockingService;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.ServiceException;
import io.tusk.rpc.RPC;
import io.tusk.rpc.RpcInvoker;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcNoSuchMethodException;
import io.tusk.rpc.RpcNoSuchProtocolException;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.proto.ProtobufEngineProtos.RequestHeaderProto;
import io.tusk.rpc.server.CallContext;
import io.tusk.rpc.server.ProtocolEntry;
import io.tusk.rpc.server.ProtocolRegistry;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.wire.DelimitedMessages;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handler-thread half of the protobuf engine's server side: routes a {@link ProtobufRequest} to the
 * hosted {@link BlockingService} and returns its response, delimited.
 *
 * <p>Errors, checked in this order and answered as Hadoop 3.4.2's {@code ProtobufRpcEngine2}
 * answers them:
 * <ol>
 *   <li>header did not parse → {@link MalformedRequestException} (ERROR_APPLICATION);
 *   <li>(name, version) not hosted but other versions of name are →
 *       {@link RPC.VersionMismatch} with the highest hosted version (ERROR_RPC_VERSION_MISMATCH);
 *   <li>name not hosted → {@link RpcNoSuchProtocolException} {@code "Unknown protocol: NAME"}
 *       (ERROR_NO_SUCH_PROTOCOL);
 *   <li>no method of that name → {@link RpcNoSuchMethodException}
 *       {@code "Unknown method M called on P protocol."} where P is, as in Hadoop, the protocol of
 *       the <em>connection</em> (ERROR_NO_SUCH_METHOD);
 *   <li>request message did not parse → {@link MalformedRequestException} (ERROR_APPLICATION);
 *   <li>the service throws {@link ServiceException} with a cause → the cause is rethrown, so its
 *       class name and message travel (ERROR_APPLICATION); without a cause the ServiceException
 *       itself travels; anything else the service throws travels as it is.
 * </ol>
 */
final class ProtobufRpcInvoker implements RpcInvoker {
  private static final Logger LOG = LoggerFactory.getLogger(ProtobufRpcInvoker.class);

  @Override
  public RpcPayload call(Server server, CallContext call, Object request) throws Exception {
    return call(server.protocols(), call == null ? null : call.protocol(),
        (ProtobufRequest) request);
  }

  /** The engine logic over a registry, so it can be exercised without a running server. */
  RpcPayload call(ProtocolRegistry protocols, String connectionProtocol, ProtobufRequest request)
      throws Exception {
    if (request.headerError() != null) {
      throw request.headerError();
    }
    RequestHeaderProto header = request.header();
    BlockingService service = findService(protocols, header.getDeclaringClassProtocolName(),
        header.getClientProtocolVersion());
    MethodDescriptor method =
        service.getDescriptorForType().findMethodByName(header.getMethodName());
    if (method == null) {
      String msg = "Unknown method " + header.getMethodName() + " called on "
          + connectionProtocol + " protocol.";
      LOG.warn(msg);
      throw new RpcNoSuchMethodException(msg);
    }
    Message param;
    try {
      param = DelimitedMessages.parse(service.getRequestPrototype(method), request.message());
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedRequestException(e.getMessage(), e);
    }
    Message result;
    try {
      result = service.callBlockingMethod(method, null, param);
    } catch (ServiceException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
    if (result == null) {
      // Generated services never return null; a hand-written one that does gets a clear error.
      throw new IllegalStateException(header.getDeclaringClassProtocolName() + "."
          + header.getMethodName() + " returned null");
    }
    return RpcPayload.delimited(result);
  }

  private static BlockingService findService(ProtocolRegistry protocols, String name,
      long clientVersion) throws Exception {
    Optional<ProtocolEntry> entry =
        protocols.get(RpcKind.RPC_PROTOCOL_BUFFER, name, clientVersion);
    if (entry.isEmpty()) {
      Optional<ProtocolEntry> highest = protocols.highest(RpcKind.RPC_PROTOCOL_BUFFER, name);
      if (highest.isEmpty()) {
        throw new RpcNoSuchProtocolException("Unknown protocol: " + name);
      }
      throw new RPC.VersionMismatch(name, clientVersion, highest.get().version());
    }
    if (!(entry.get().implementation() instanceof BlockingService service)) {
      throw new IllegalStateException("protocol " + name + " version " + clientVersion
          + " is hosted for RPC_PROTOCOL_BUFFER by a "
          + entry.get().implementation().getClass().getName()
          + ", not a BlockingService: register it with ProtobufRpcEngine.addProtocol");
    }
    return service;
  }
}
