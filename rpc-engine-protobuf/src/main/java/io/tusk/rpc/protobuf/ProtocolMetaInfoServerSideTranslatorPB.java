package io.tusk.rpc.protobuf;

import com.google.protobuf.RpcController;
import com.google.protobuf.ServiceException;
import io.tusk.rpc.ProtocolSignature;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.internal.ClassLoaders;
import io.tusk.rpc.internal.ProtocolNames;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolSignatureRequestProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolSignatureResponseProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsRequestProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsResponseProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolSignatureProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolVersionProto;
import io.tusk.rpc.server.ProtocolEntry;
import io.tusk.rpc.server.ProtocolRegistry;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Answers the protocol meta-info service from a server's {@link ProtocolRegistry}, with the
 * semantics of Hadoop's class of the same name (checked against Hadoop 3.4.2 in interop-hadoop).
 *
 * <p>The {@code protocol} field of both requests is a protocol <em>class name</em>, as Hadoop's
 * {@code RpcClientUtil} sends it (e.g. {@code com.example.FooProtocolPB}). It is resolved to a
 * protocol wire name by, in order: a hosted protocol registered with a class of that name;
 * {@code Class.forName} on the server and the class's {@code @ProtocolInfo} name, Tusk's or
 * Hadoop's ({@code org.apache.hadoop.ipc.ProtocolInfo}, read by reflection), else the class name;
 * and, when the class cannot be loaded here, a hosted protocol whose <em>wire name</em> is the
 * requested name (deviation: Hadoop fails there, so a client that sends the wire name, or the name
 * of a class only it has, gets an answer from Tusk). A name that none of these resolves fails the
 * call with {@link ClassNotFoundException} (its message is the name), exactly as Hadoop fails it.
 *
 * <ul>
 *   <li>{@code getProtocolVersions}: one {@code ProtocolVersionProto} per {@link RpcKind}, in enum
 *       order, with {@code rpcKind} = the kind's name and the hosted versions ascending (empty when
 *       the kind hosts none). Deviation: Hadoop leaves {@code rpcKind} unset for a kind without
 *       versions and so fails with an UninitializedMessageException; Tusk answers.
 *   <li>{@code getProtocolSignature}: for each version hosted for the requested kind (ascending),
 *       the version and method fingerprints, sorted ascending (as signed ints) and without
 *       duplicates, as Hadoop lists them; an empty response when none is hosted. An unknown
 *       kind name fails with IllegalArgumentException, as in Hadoop. When the protocol resolved
 *       to a hosted class (by class name or wire name), the fingerprints are those of the class
 *       each version was registered with (for a PB protocol: the PB interface with the generated
 *       methods it extends), and methods taking an RpcController are reported with both
 *       protobuf-java's and Hadoop's shaded controller ({@link MethodFingerprints}), so Hadoop's
 *       client, whose fingerprints name the shaded one, finds the methods Tusk serves. Otherwise
 *       they are those of the requested class as loaded here, which is what Hadoop reports,
 *       restricted to the methods the hosted version's class also has by name, so a method the
 *       server does not serve is not reported (Hadoop reports every method of the requested
 *       class, and caches the first class asked about per protocol name, JVM-wide).
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
      for (int fingerprint : fingerprints(protocol, entry.protocolClass())) {
        signature.addMethods(fingerprint);
      }
      response.addProtocolSignature(signature);
    }
    return response.build();
  }

  /**
   * The fingerprints reported for {@code protocol} served by {@code served} (may be null), sorted
   * and without duplicates.
   */
  private static SortedSet<Integer> fingerprints(Resolved protocol, Class<?> served) {
    SortedSet<Integer> fingerprints = new TreeSet<>();
    if (protocol.hosted() && served != null) {
      for (Method method : served.getMethods()) {
        for (int fingerprint : MethodFingerprints.of(method)) {
          fingerprints.add(fingerprint);
        }
      }
    } else if (protocol.type() != null) {
      Set<String> servedNames = null;
      if (served != null) {
        servedNames = new HashSet<>();
        for (Method method : served.getMethods()) {
          servedNames.add(method.getName());
        }
      }
      for (Method method : protocol.type().getMethods()) {
        if (servedNames == null || servedNames.contains(method.getName())) {
          fingerprints.add(ProtocolSignature.fingerprint(method));
        }
      }
    }
    return fingerprints;
  }

  /**
   * A requested class name resolved to a wire name and the class; {@code hosted} when the class
   * is one a protocol was registered with.
   */
  private record Resolved(String name, Class<?> type, boolean hosted) {}

  private Resolved resolve(String className) throws ServiceException {
    for (ProtocolEntry entry : protocols.all()) {
      Class<?> type = entry.protocolClass();
      if (type != null && type.getName().equals(className)) {
        return new Resolved(entry.name(), type, true);
      }
    }
    try {
      Class<?> type = Class.forName(className, false, ClassLoaders.context(getClass()));
      return new Resolved(ProtocolNames.ofAnyAnnotation(type), type, false);
    } catch (ClassNotFoundException e) {
      for (ProtocolEntry entry : protocols.all()) {
        if (entry.name().equals(className)) {
          return new Resolved(entry.name(), null, true);
        }
      }
      throw new ServiceException(e);
    }
  }

  private List<ProtocolEntry> ascending(RpcKind kind, String name) {
    List<ProtocolEntry> entries = new ArrayList<>(protocols.versions(kind, name));
    Collections.reverse(entries);
    return entries;
  }
}
