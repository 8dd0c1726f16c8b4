package io.tusk.rpc.examples.cli;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.tusk.rpc.ProtocolSignature;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.examples.Calculator;
import io.tusk.rpc.examples.KeyValueProtocolPB;
import io.tusk.rpc.examples.proto.KeyValueProtos.KeyValueService;
import io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolInfoService;
import io.tusk.rpc.protobuf.MethodFingerprints;
import io.tusk.rpc.protobuf.ProtocolMetaInfoPB;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The protocols whose types are built into the {@code tusk} jar: the reference protobuf protocol,
 * the protocol meta-info service and the Writable {@link Calculator}. {@code tusk call} takes the
 * request and response types of the protobuf ones from here when no descriptor set is given;
 * {@code tusk list} names their method fingerprints.
 */
final class BuiltInProtocols {
  /**
   * One built-in protocol.
   *
   * @param name the protocol name on the wire
   * @param version the version the examples serve
   * @param type the protocol interface (for protobuf: the PB interface)
   * @param kind the engine that serves it
   * @param service the protobuf service, or {@code null} for a Writable protocol
   */
  record BuiltIn(String name, long version, Class<?> type, RpcKind kind,
      ServiceDescriptor service) {
    /**
     * Method names by fingerprint, as a server reports them for {@link #type}: protobuf methods
     * under both RpcController types ({@link MethodFingerprints}), the second one marked.
     */
    Map<Integer, String> methodsByFingerprint() {
      Map<Integer, String> names = new HashMap<>();
      for (Method method : type.getMethods()) {
        if (kind == RpcKind.RPC_PROTOCOL_BUFFER) {
          int[] fingerprints = MethodFingerprints.of(method);
          names.putIfAbsent(fingerprints[0], method.getName());
          for (int i = 1; i < fingerprints.length; i++) {
            names.putIfAbsent(fingerprints[i], method.getName() + " (Hadoop's shaded controller)");
          }
        } else {
          names.putIfAbsent(ProtocolSignature.fingerprint(method), method.getName());
        }
      }
      return names;
    }
  }

  static final List<BuiltIn> ALL = List.of(
      new BuiltIn(KeyValueProtocolPB.NAME, KeyValueProtocolPB.VERSION, KeyValueProtocolPB.class,
          RpcKind.RPC_PROTOCOL_BUFFER, KeyValueService.getDescriptor()),
      new BuiltIn(ProtocolMetaInfoPB.NAME, ProtocolMetaInfoPB.VERSION, ProtocolMetaInfoPB.class,
          RpcKind.RPC_PROTOCOL_BUFFER, ProtocolInfoService.getDescriptor()),
      new BuiltIn(Calculator.NAME, Calculator.VERSION, Calculator.class, RpcKind.RPC_WRITABLE,
          null));

  private BuiltInProtocols() {}

  /** The built-in protocol with this wire name or interface class name. */
  static Optional<BuiltIn> find(String nameOrClass) {
    return ALL.stream()
        .filter(b -> b.name().equals(nameOrClass) || b.type().getName().equals(nameOrClass))
        .findFirst();
  }

  /** The built-in protobuf protocol with this wire name or interface class name. */
  static Optional<BuiltIn> findProtobuf(String nameOrClass) {
    return find(nameOrClass).filter(b -> b.service() != null);
  }

  /** The wire names of the built-in protobuf protocols, for messages. */
  static String protobufNames() {
    return ALL.stream().filter(b -> b.service() != null).map(BuiltIn::name)
        .collect(Collectors.joining(", "));
  }
}
