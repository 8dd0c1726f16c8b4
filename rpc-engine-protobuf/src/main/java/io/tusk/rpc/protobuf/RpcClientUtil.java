package io.tusk.rpc.protobuf;

import io.tusk.rpc.RPC;
import io.tusk.rpc.ProtocolSignature;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolSignatureRequestProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolSignatureResponseProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolSignatureProto;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Client-side questions to a server's protocol meta-info service, as Hadoop's class of the same
 * name asks them: "does the server support this method of this protocol version?".
 *
 * <p>The question travels as {@code getProtocolSignature(protocol class name, kind)} over the
 * <em>same</em> connection as the protocol's own calls (same {@link ConnectionId}, declaring
 * protocol {@link ProtocolMetaInfoPB}). The answer is cached per client, server address, protocol
 * class and kind (per client rather than JVM-wide as in Hadoop, so a closed client's cache goes
 * with it and tests do not see each other's servers). A method is supported when the server hosts
 * {@code version} for {@code kind} and that version's fingerprints contain the fingerprint
 * ({@link ProtocolSignature#fingerprint(Method)}) of {@code protocol}'s first public method named
 * {@code methodName} (method names are assumed unique, as Hadoop assumes), computed with either
 * protobuf-java's or Hadoop's shaded RpcController ({@link MethodFingerprints}): a Hadoop server
 * fingerprints its own class of the requested name, whose methods take the shaded controller.
 *
 * <p>A Hadoop server resolves the requested class name with {@code Class.forName} and Hadoop's
 * own {@code @ProtocolInfo}, so {@code protocol} must be named as a class the server knows under
 * the hosted protocol's name; Tusk's PB interfaces (Tusk's annotation) are unknown to it, and the
 * answer for them is false.
 */
public final class RpcClientUtil {
  private RpcClientUtil() {}

  private record Key(InetSocketAddress address, String protocol, RpcKind kind) {}

  /** One client's answers, kept as that client's {@link Client#attribute attribute}. */
  private static final class Signatures {
    final Map<Key, Map<Long, int[]>> byKey = new ConcurrentHashMap<>();
  }

  /**
   * Asks over the connection of {@code proxy}, as Hadoop's method of the same signature: a proxy
   * of any engine (Writable or protobuf, made through {@link RPC} or an engine's
   * {@code newProxy}), or a {@link io.tusk.rpc.ProtocolTranslator} over one. Its
   * {@link RPC#getConnectionIdForProxy connection} and {@link RPC#getClient client} carry the
   * question, and the answer is cached in that client.
   *
   * @param proxy a proxy to the server in question
   * @param protocol the protocol interface (for a protobuf protocol: its PB interface)
   * @param kind the engine the protocol is served by
   * @param version the protocol version the caller speaks
   * @param methodName the method to look for
   * @throws IllegalArgumentException when {@code proxy} is not an RPC proxy
   * @throws IOException when the server cannot be asked
   */
  public static boolean isMethodSupported(Object proxy, Class<?> protocol, RpcKind kind,
      long version, String methodName) throws IOException {
    ConnectionId remote = RPC.getConnectionIdForProxy(proxy);
    Client client = RPC.getClient(proxy);
    if (client == null) {
      throw new IllegalArgumentException("proxy " + proxy + " has no client to ask with");
    }
    return isMethodSupported(client, remote, protocol, kind, version, methodName);
  }

  /**
   * Asks over {@code client}'s connection {@code remote}, whatever engine the protocol uses.
   *
   * @throws IOException when the server cannot be asked
   */
  public static boolean isMethodSupported(Client client, ConnectionId remote, Class<?> protocol,
      RpcKind kind, long version, String methodName) throws IOException {
    return isMethodSupported(client, remote, protocol, kind, version, methodName,
        new ProtobufRpcEngine().getProxy(ProtocolMetaInfoPB.class,
            RPC.getProtocolVersion(ProtocolMetaInfoPB.class), remote, client));
  }

  /** The lookup over a given meta-info proxy (tests pass an in-memory one). */
  static boolean isMethodSupported(Client client, ConnectionId remote, Class<?> protocol,
      RpcKind kind, long version, String methodName, ProtocolMetaInfoPB metaInfo)
      throws IOException {
    Method method = null;
    for (Method m : protocol.getMethods()) {
      if (m.getName().equals(methodName)) {
        method = m;
        break;
      }
    }
    if (method == null) {
      return false;
    }
    int[] fingerprints = signatures(client, remote, protocol, kind, metaInfo).get(version);
    if (fingerprints == null) {
      return false;
    }
    for (int wanted : MethodFingerprints.of(method)) {
      for (int fingerprint : fingerprints) {
        if (fingerprint == wanted) {
          return true;
        }
      }
    }
    return false;
  }

  private static Map<Long, int[]> signatures(Client client, ConnectionId remote,
      Class<?> protocol, RpcKind kind, ProtocolMetaInfoPB metaInfo) throws IOException {
    Map<Key, Map<Long, int[]>> perClient =
        client.attribute(Signatures.class, Signatures::new).byKey;
    Key key = new Key(remote.address(), protocol.getName(), kind);
    Map<Long, int[]> versions = perClient.get(key);
    if (versions == null) {
      GetProtocolSignatureRequestProto request = GetProtocolSignatureRequestProto.newBuilder()
          .setProtocol(protocol.getName())
          .setRpcKind(kind.name())
          .build();
      GetProtocolSignatureResponseProto response =
          ProtobufHelper.ipc(() -> metaInfo.getProtocolSignature(null, request));
      versions = new HashMap<>();
      for (ProtocolSignatureProto signature : response.getProtocolSignatureList()) {
        int[] methods = new int[signature.getMethodsCount()];
        for (int i = 0; i < methods.length; i++) {
          methods[i] = signature.getMethods(i);
        }
        versions.put(signature.getVersion(), methods);
      }
      perClient.put(key, versions);
    }
    return versions;
  }
}
