package io.tusk.rpc.protobuf;

import com.google.protobuf.RpcController;
import com.google.protobuf.ServiceException;
import io.tusk.rpc.RPC;
import io.tusk.rpc.ProtocolSignature;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolSignatureRequestProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolSignatureResponseProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsRequestProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsResponseProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolSignatureProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolVersionProto;
import io.tusk.rpc.server.ProtocolEntry;
import io.tusk.rpc.server.ProtocolRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Answers the protocol meta-info service from a server's {@link ProtocolRegistry}, with the
 * semantics of Hadoop's class of the same name.
 *
 * <p>The {@code protocol} field of both requests is a protocol <em>class name</em>, as Hadoop's
 * {@code RpcClientUtil} sends it (e.g. {@code com.example.FooProtocolPB}). It is resolved to a
 * protocol wire name by: a hosted protocol registered with a class of that name, else
 * {@code Class.forName} on the server and {@link RPC#getProtocolName}. A name that neither
 * resolves fails the call with {@link ClassNotFoundException} (its message is the name), exactly
 * as Hadoop fails it.
 *
 * <ul>
 *   <li>{@code getProtocolVersions}: one {@code ProtocolVersionProto} per {@link RpcKind}, in enum
 *       order, with {@code rpcKind} = the kind's name and the hosted versions ascending (empty when
 *       the kind hosts none). Deviation: Hadoop leaves {@code rpcKind} unset for a kind without
 *       versions and so fails with an UninitializedMessageException; Tusk answers.
 *   <li>{@code getProtocolSignature}: for each version hosted for the requested kind (ascending),
 *       the version and the method fingerprints ({@link ProtocolSignature#fingerprintsOf}) of the
 *       class the version was registered with (for a PB protocol: the PB interface, including the
 *       generated BlockingInterface methods it extends, which is what Hadoop fingerprints); an
 *       empty response when none is hosted. An unknown kind name fails with
 *       IllegalArgumentException, as in Hadoop.
 * </ul>
 */
public final class ProtocolMetaInfoServerSideTranslatorPB implements ProtocolMetaInfoPB {
  private final ProtocolRegistry protocols;

  /** Answers from {@code protocols} (usually {@code server.protocols()}). */
  public ProtocolMetaInfoServerSideTranslatorPB(ProtocolRegistry protocols) {
    this.protocols = protocols;
  }

  @Override
  public GetProtocolVersionsResponseProto getProtocolVersions(RpcController controller,
      GetProtocolVersionsRequestProto request) throws ServiceException {
    Resolved protocol = resolve(request.getProtocol());
    GetProtocolVersionsResponseProto.Builder response =
        GetProtocolVersionsResponseProto.newBuilder();
    for (RpcKind kind : RpcKind.values()) {
      ProtocolVersionProto.Builder versions = ProtocolVersionProto.newBuilder()
          .setRpcKind(kind.name());
      for (ProtocolEntry entry : ascending(kind, protocol.name())) {
        versions.addVersions(entry.version());
      }
      response.addProtocolVersions(versions);
    }
    return response.build();
  }

  @Override
  public GetProtocolSignatureResponseProto getProtocolSignature(RpcController controller,
      GetProtocolSignatureRequestProto request) throws ServiceException {
    Resolved protocol = resolve(request.getProtocol());
    RpcKind kind = RpcKind.valueOf(request.getRpcKind());
    GetProtocolSignatureResponseProto.Builder response =
        GetProtocolSignatureResponseProto.newBuilder();
    for (ProtocolEntry entry : ascending(kind, protocol.name())) {
      ProtocolSignatureProto.Builder signature = ProtocolSignatureProto.newBuilder()
          .setVersion(entry.version());
      Class<?> type = entry.protocolClass() != null ? entry.protocolClass() : protocol.type();
      if (type != null) {
        for (int fingerprint : ProtocolSignature.fingerprintsOf(type)) {
          signature.addMethods(fingerprint);
        }
      }
      response.addProtocolSignature(signature);
    }
    return response.build();
  }

  /** A requested class name resolved to a wire name (and the class, when it could be loaded). */
  private record Resolved(String name, Class<?> type) {}

  private Resolved resolve(String className) throws ServiceException {
    for (ProtocolEntry entry : protocols.all()) {
      Class<?> type = entry.protocolClass();
      if (type != null && type.getName().equals(className)) {
        return new Resolved(entry.name(), type);
      }
    }
    try {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      Class<?> type = Class.forName(className, false,
          loader != null ? loader : getClass().getClassLoader());
      return new Resolved(RPC.getProtocolName(type), type);
    } catch (ClassNotFoundException e) {
      throw new ServiceException(e);
    }
  }

  private List<ProtocolEntry> ascending(RpcKind kind, String name) {
    List<ProtocolEntry> entries = new ArrayList<>(protocols.versions(kind, name));
    Collections.reverse(entries);
    return entries;
  }
}
