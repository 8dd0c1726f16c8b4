package io.tusk.rpc.protobuf;

import com.google.protobuf.BlockingService;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.ServiceException;
import io.tusk.rpc.RPC;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcNoSuchMethodException;
import io.tusk.rpc.RpcNoSuchProtocolException;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.proto.ProtobufEngineProtos.RequestHeaderProto;
import io.tusk.rpc.server.CallContext;
import io.tusk.rpc.server.ProtocolRegistry;
import io.tusk.rpc.spi.ProtocolBinding;
import io.tusk.rpc.spi.ProtocolBindings;
import io.tusk.rpc.spi.RpcInvoker;
import io.tusk.rpc.wire.DelimitedMessages;
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
final class ProtobufRpcInvoker implements RpcInvoker<ProtobufRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(ProtobufRpcInvoker.class);

  /** What a call of one method needs, resolved once per binding and method name. */
  private record Target(MethodDescriptor method, Message requestPrototype) {}

  @Override
  public RpcPayload call(ProtocolBindings protocols, CallContext call, ProtobufRequest request)
      throws Exception {
    return dispatch(protocols, call == null ? null : call.protocol(), request);
  }

  /** The engine logic over a registry, so it can be exercised without a running server. */
  RpcPayload call(ProtocolRegistry protocols, String connectionProtocol, ProtobufRequest request)
      throws Exception {
    return dispatch(protocols.bindings(RpcKind.RPC_PROTOCOL_BUFFER), connectionProtocol, request);
  }

  private RpcPayload dispatch(ProtocolBindings protocols, String connectionProtocol,
      ProtobufRequest request) throws Exception {
    if (request.headerError() != null) {
      throw request.headerError();
    }
    RequestHeaderProto header = request.header();
    ProtocolBinding binding = findBinding(protocols, header.getDeclaringClassProtocolName(),
        header.getClientProtocolVersion());
    BlockingService service = service(binding);
    Target target = binding.method(header.getMethodName(), name -> resolve(service, name));
    if (target == null) {
      String msg = "Unknown method " + header.getMethodName() + " called on "
          + connectionProtocol + " protocol.";
      LOG.warn(msg);
      throw new RpcNoSuchMethodException(msg);
    }
    Message param;
    try {
      param = DelimitedMessages.parse(target.requestPrototype(), request.message());
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedRequestException(e.getMessage(), e);
    }
    Message result;
    try {
      result = service.callBlockingMethod(target.method(), null, param);
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

  private static Target resolve(BlockingService service, String methodName) {
    MethodDescriptor method = service.getDescriptorForType().findMethodByName(methodName);
    return method == null ? null : new Target(method, service.getRequestPrototype(method));
  }

  private static ProtocolBinding findBinding(ProtocolBindings protocols, String name,
      long clientVersion) throws Exception {
    ProtocolBinding binding = protocols.get(name, clientVersion);
    if (binding == null) {
      ProtocolBinding highest = protocols.highest(name);
      if (highest == null) {
        throw new RpcNoSuchProtocolException("Unknown protocol: " + name);
      }
      throw new RPC.VersionMismatch(name, clientVersion, highest.version());
    }
    return binding;
  }

  /**
   * The binding's service. {@link ProtobufServerEngine#host} hosts only BlockingServices; an
   * object added to the registry directly, past the engine, gets this error.
   */
  private static BlockingService service(ProtocolBinding binding) {
    if (binding.implementation() instanceof BlockingService service) {
      return service;
    }
    throw new IllegalStateException("protocol " + binding.name() + " version "
        + binding.version() + " is hosted for RPC_PROTOCOL_BUFFER by a "
        + binding.implementation().getClass().getName()
        + ", not a BlockingService: register it with ProtobufRpcEngine.addProtocol");
  }
}
