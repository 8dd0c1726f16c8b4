package io.tusk.rpc.examples.cli;

import io.tusk.rpc.RemoteException;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.examples.cli.BuiltInProtocols.BuiltIn;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolSignatureRequestProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolSignatureResponseProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolSignatureProto;
import io.tusk.rpc.protobuf.ProtobufHelper;
import io.tusk.rpc.protobuf.ProtobufRpcEngine;
import io.tusk.rpc.protobuf.ProtocolMetaInfoPB;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code tusk list}: asks a server's protocol meta-info service ({@link ProtocolMetaInfoPB}, which
 * every Hadoop and Tusk server hosts) which versions of a protocol it serves per {@link RpcKind},
 * and the method fingerprints of each version. Fingerprints of the built-in protocols are shown
 * with their method names. It asks only {@code getProtocolSignature}, once per kind and with the
 * kind set, as Hadoop's client does, so a Hadoop server logs nothing for it.
 *
 * <p>The meta-info service identifies a protocol by its Java <em>class name</em> (the server loads
 * the class), as Hadoop's {@code RpcClientUtil} sends it. The wire names of the built-in protocols
 * are translated to their classes; any other {@code --protocol} is sent as given. A protocol for
 * which the server hosts no version fails the command (exit code 1).
 */
final class ListCommand implements Command {
  static final Option PROTOCOL = Option.value("NAME", "the protocol's class name as the server"
      + " knows it (a built-in protocol's wire name works too)", "--protocol");

  @Override
  public String name() {
    return "list";
  }

  @Override
  public String summary() {
    return "Lists a protocol's versions per RpcKind and its method fingerprints.";
  }

  @Override
  public String synopsis() {
    return "tusk list HOST:PORT --protocol NAME";
  }

  @Override
  public String details() {
    return String.join(System.lineSeparator(),
        "Asks the server's " + ProtocolMetaInfoPB.NAME + " service. It takes the protocol's",
        "Java class name (for a protobuf protocol its PB interface, e.g.",
        "org.apache.hadoop.hdfs.protocolPB.ClientNamenodeProtocolPB), which the server must be",
        "able to load (a Tusk server also takes a hosted protocol's wire name); the wire names",
        "of the protocols built into tusk are translated:",
        "  " + String.join(", ", BuiltInProtocols.ALL.stream().map(BuiltIn::name).toList()),
        "Prints the versions per RpcKind, then per kind and version the method fingerprints",
        "(hex and decimal; named for built-in protocols). Exit code 1 when no version is hosted.");
  }

  @Override
  public List<Option> options() {
    return List.of(PROTOCOL, RemoteOptions.TIMEOUT, RemoteOptions.RETRIES,
        RemoteOptions.USER, ConfDir.OPTION);
  }

  @Override
  public int run(CommandLine line, PrintStream out) throws Exception {
    List<String> args = line.expectPositionals(1, 1, "HOST:PORT").positionals();
    String protocol = line.required(PROTOCOL.name());
    Optional<BuiltIn> builtIn = BuiltInProtocols.find(protocol);
    String className = builtIn.map(b -> b.type().getName()).orElse(protocol);
    RemoteOptions remote = RemoteOptions.from(line, args.get(0));

    try (Client client = remote.newClient()) {
      MetaInfo metaInfo = new MetaInfo(client, remote);
      Map<RpcKind, GetProtocolSignatureResponseProto> signatures = new EnumMap<>(RpcKind.class);
      Map<RpcKind, List<Long>> versions = versions(metaInfo, className, signatures);
      if (versions.values().stream().allMatch(List::isEmpty)) {
        throw new IOException(args.get(0) + " hosts no version of " + className
            + " for any RpcKind");
      }
      out.println("protocol " + protocol + (className.equals(protocol) ? ""
          : " (class " + className + ")") + " at " + args.get(0));
      out.println("versions:");
      versions.forEach((kind, vs) -> out.println("  " + kind + ": "
          + (vs.isEmpty() ? "(none)" : String.join(", ", vs.stream().map(String::valueOf)
              .toList()))));
      Map<Integer, String> names = builtIn.map(BuiltIn::methodsByFingerprint).orElse(Map.of());
      for (Map.Entry<RpcKind, List<Long>> entry : versions.entrySet()) {
        if (!entry.getValue().isEmpty()) {
          printSignatures(out, entry.getKey(), signatures.get(entry.getKey()), names);
        }
      }
    } catch (ConnectException e) {
      throw remote.unreachable(e);
    } catch (RemoteException e) {
      if (ClassNotFoundException.class.getName().equals(e.getClassName())) {
        throw new IOException("the server cannot load class " + Tusk.firstLine(e.getMessage())
            + ": --protocol must name the protocol's class (see 'tusk list --help')", e);
      }
      throw e;
    }
    return Tusk.OK;
  }

  /**
   * The hosted versions per kind, in {@link RpcKind} order, read from {@code getProtocolSignature}
   * of each kind, as Hadoop's own client asks (its {@code RpcClientUtil} never calls
   * {@code getProtocolVersions}). Hadoop's server cannot answer {@code getProtocolVersions} when a
   * kind hosts no version (it leaves the required {@code rpcKind} unset) and logs a WARN with a
   * stack trace for each such call; every request here carries its {@code rpcKind}.
   */
  private static Map<RpcKind, List<Long>> versions(MetaInfo metaInfo, String className,
      Map<RpcKind, GetProtocolSignatureResponseProto> signatures) throws IOException {
    Map<RpcKind, List<Long>> versions = new EnumMap<>(RpcKind.class);
    for (RpcKind kind : RpcKind.values()) {
      GetProtocolSignatureResponseProto response = metaInfo.signature(className, kind);
      signatures.put(kind, response);
      List<Long> vs = new ArrayList<>();
      for (ProtocolSignatureProto signature : response.getProtocolSignatureList()) {
        vs.add(signature.getVersion());
      }
      vs.sort(Comparator.naturalOrder());
      versions.put(kind, vs);
    }
    return versions;
  }

  private static void printSignatures(PrintStream out, RpcKind kind,
      GetProtocolSignatureResponseProto response, Map<Integer, String> names) {
    List<ProtocolSignatureProto> signatures = new ArrayList<>(response.getProtocolSignatureList());
    signatures.sort(Comparator.comparingLong(ProtocolSignatureProto::getVersion));
    for (ProtocolSignatureProto signature : signatures) {
      out.println(kind + " version " + signature.getVersion() + ": "
          + signature.getMethodsCount() + " method fingerprint(s)");
      List<Integer> fingerprints = new ArrayList<>(signature.getMethodsList());
      // Named ones first, by name; then the rest by value.
      fingerprints.sort(Comparator.comparing((Integer f) -> names.get(f),
          Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(Comparator.naturalOrder()));
      for (int fingerprint : fingerprints) {
        String name = names.get(fingerprint);
        out.printf("  0x%08x %11d%s%n", fingerprint, fingerprint, name == null ? "" : "  " + name);
      }
    }
  }

  /** The meta-info call, through a protobuf-engine proxy on the command's client. */
  private static final class MetaInfo {
    private final ProtocolMetaInfoPB proxy;

    MetaInfo(Client client, RemoteOptions remote) {
      // The client's RPC timeout is the command's --timeout.
      this.proxy = new ProtobufRpcEngine().getProxy(ProtocolMetaInfoPB.class,
          ProtocolMetaInfoPB.VERSION, remote.connection(ProtocolMetaInfoPB.NAME), client);
    }

    GetProtocolSignatureResponseProto signature(String className, RpcKind kind)
        throws IOException {
      GetProtocolSignatureRequestProto request = GetProtocolSignatureRequestProto.newBuilder()
          .setProtocol(className).setRpcKind(kind.name()).build();
      return ProtobufHelper.ipc(() -> proxy.getProtocolSignature(null, request));
    }
  }
}
