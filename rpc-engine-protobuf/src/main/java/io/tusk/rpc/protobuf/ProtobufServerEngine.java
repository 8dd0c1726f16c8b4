package io.tusk.rpc.protobuf;

import com.google.protobuf.BlockingService;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.tusk.rpc.RPC;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.server.ProtocolRegistry;
import io.tusk.rpc.spi.RequestDecoder;
import io.tusk.rpc.spi.RpcInvoker;
import io.tusk.rpc.spi.ServerEngine;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server half of the protobuf engine: decodes {@link ProtobufRequest}s, runs them with
 * {@link ProtobufRpcInvoker}, and hosts {@link BlockingService}s, checking when one is added that
 * it is a BlockingService and, when the PB interface extends a generated
 * {@code XxxService.BlockingInterface}, that the service is that {@code XxxService} (the same
 * service descriptor), so a wrong object fails at {@code addProtocol}, not on every call.
 *
 * <p>Stateless: one instance ({@link #INSTANCE}) serves every server.
 */
final class ProtobufServerEngine implements ServerEngine<ProtobufRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(ProtobufServerEngine.class);

  /** The engine's identity on every server. */
  static final String ID = ProtobufRpcEngine.class.getName();

  static final ProtobufServerEngine INSTANCE = new ProtobufServerEngine();

  private final ProtobufRequestDecoder decoder = new ProtobufRequestDecoder();
  private final ProtobufRpcInvoker invoker = new ProtobufRpcInvoker();

  private ProtobufServerEngine() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public RpcKind kind() {
    return RpcKind.RPC_PROTOCOL_BUFFER;
  }

  @Override
  public RequestDecoder<ProtobufRequest> decoder() {
    return decoder;
  }

  @Override
  public RpcInvoker<ProtobufRequest> invoker() {
    return invoker;
  }

  /**
   * Hosts {@code implementation}, which must be a {@link BlockingService} (usually
   * {@code XxxService.newReflectiveBlockingService(serverSideTranslator)}) matching
   * {@code pbInterface}, under the interface's {@link RPC#getProtocolName name} and
   * {@link RPC#getProtocolVersion version}.
   *
   * @throws IllegalArgumentException when it is not a BlockingService, is another service than the
   *     one {@code pbInterface} extends, or the interface has no version
   */
  @Override
  public void host(ProtocolRegistry registry, Class<?> pbInterface, Object implementation) {
    Objects.requireNonNull(pbInterface, "pbInterface");
    Objects.requireNonNull(implementation, "implementation");
    if (!(implementation instanceof BlockingService service)) {
      throw new IllegalArgumentException("protocol " + pbInterface.getName() + " cannot be hosted"
          + " for RPC_PROTOCOL_BUFFER by a " + implementation.getClass().getName()
          + ": the protobuf engine hosts a com.google.protobuf.BlockingService, e.g. "
          + "XxxService.newReflectiveBlockingService(serverSideTranslator)");
    }
    ServiceDescriptor expected = serviceOf(pbInterface);
    ServiceDescriptor actual = service.getDescriptorForType();
    if (expected != null && !expected.getFullName().equals(actual.getFullName())) {
      throw new IllegalArgumentException("protocol " + pbInterface.getName() + " extends the "
          + "blocking interface of service " + expected.getFullName() + ", but the BlockingService"
          + " given implements service " + actual.getFullName());
    }
    String name = RPC.getProtocolName(pbInterface);
    long version = RPC.getProtocolVersion(pbInterface);
    registry.add(RpcKind.RPC_PROTOCOL_BUFFER, name, version, pbInterface, service);
    LOG.debug("hosting {} version {} ({}) for RPC_PROTOCOL_BUFFER", name, version,
        actual.getFullName());
  }

  /**
   * Whether {@code type} is a generated {@code BlockingInterface} (nested in a
   * {@link com.google.protobuf.Service}) or extends one, directly or through other interfaces.
   */
  static boolean isGeneratedBlockingInterface(Class<?> type) {
    Class<?> service = type.getDeclaringClass();
    if (type.getSimpleName().equals("BlockingInterface") && service != null
        && com.google.protobuf.Service.class.isAssignableFrom(service)) {
      return true;
    }
    for (Class<?> parent : type.getInterfaces()) {
      if (isGeneratedBlockingInterface(parent)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The descriptor of the generated service whose {@code BlockingInterface} {@code pbInterface}
   * extends (directly or through another interface), or null when it extends none (hand-written
   * PB interfaces, which Hadoop accepts too).
   */
  static ServiceDescriptor serviceOf(Class<?> pbInterface) {
    for (Class<?> parent : pbInterface.getInterfaces()) {
      Class<?> service = parent.getDeclaringClass();
      if (parent.getSimpleName().equals("BlockingInterface") && service != null
          && com.google.protobuf.Service.class.isAssignableFrom(service)) {
        try {
          Method descriptor = service.getMethod("getDescriptor");
          if (Modifier.isStatic(descriptor.getModifiers())
              && descriptor.invoke(null) instanceof ServiceDescriptor found) {
            return found;
          }
        } catch (ReflectiveOperationException | RuntimeException e) {
          LOG.debug("cannot read the service descriptor of {}", service.getName(), e);
        }
      }
      ServiceDescriptor inherited = serviceOf(parent);
      if (inherited != null) {
        return inherited;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "ServerEngine[" + ID + ", RPC_PROTOCOL_BUFFER]";
  }
}
