package io.tusk.rpc.examples.cli;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UninitializedMessageException;
import com.google.protobuf.util.JsonFormat;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.examples.cli.BuiltInProtocols.BuiltIn;
import io.tusk.rpc.protobuf.DynamicProtobufCall;
import java.io.PrintStream;
import java.net.ConnectException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code tusk call}: calls one protobuf method and prints the response as JSON.
 *
 * <p>The request is given as JSON (protobuf's JSON mapping, parsed by {@link JsonFormat}) and
 * sent with {@link DynamicProtobufCall}; the response is printed with {@link JsonFormat} and is the
 * only thing written to standard output, so it can be piped. The message types come from the
 * protocols built into the jar ({@link BuiltInProtocols}) or from a descriptor set
 * ({@link DescriptorSets}), which lets the command call any protobuf-engine server, Hadoop's too.
 */
final class CallCommand implements Command {
  static final Option PROTOCOL = Option.value("NAME", "the protocol name on the wire (required),"
      + " e.g. " + BuiltInProtocols.ALL.get(0).name(), "--protocol");
  static final Option VERSION = Option.value("V", "the protocol version to ask for (default: the"
      + " built-in protocol's, else 1)", "--version");
  static final Option DESCRIPTOR_SET = Option.value("FILE", "take the types from this"
      + " FileDescriptorSet (protoc --descriptor_set_out=FILE --include_imports)",
      "--descriptor-set");
  static final Option SERVICE = Option.value("FULL.NAME", "the service in the descriptor set,"
      + " e.g. tusk.examples.KeyValueService (needed when it has several)", "--service");

  @Override
  public String name() {
    return "call";
  }

  @Override
  public String summary() {
    return "Calls one protobuf method and prints the response as JSON.";
  }

  @Override
  public String synopsis() {
    return "tusk call HOST:PORT --protocol NAME [--version V]"
        + " [--descriptor-set FILE [--service FULL.NAME]] METHOD [JSON]";
  }

  @Override
  public String details() {
    return String.join(System.lineSeparator(),
        "Sends METHOD with the request JSON (default {}) over the protobuf engine and prints the",
        "response as JSON on standard output; nothing else goes there. A remote error is printed",
        "as its exception class and message on standard error (exit code 1).",
        "",
        "Types: without --descriptor-set, NAME must be one of the protocols built into tusk:",
        "  " + BuiltInProtocols.protobufNames(),
        "For any other protocol (Hadoop's included) give the descriptor set of its .proto files",
        "and the service's full name; the service name itself is not sent, only the method name.",
        "--version defaults to the built-in protocol's version, else to 1 (Hadoop's usual).",
        "",
        "JSON: protobuf's JSON mapping. Field names in lowerCamelCase or as in the .proto; bytes",
        "are base64 (\"value\":\"aGVsbG8=\" is \"hello\"); 64-bit integers print as strings;",
        "repeated fields are arrays. Unknown fields are an error. Required fields must be set.",
        "",
        "Example:",
        "  tusk call 127.0.0.1:9000 --protocol " + BuiltInProtocols.ALL.get(0).name()
            + " put '{\"key\":\"k\",\"value\":\"aGVsbG8=\"}'");
  }

  @Override
  public List<Option> options() {
    return List.of(PROTOCOL, VERSION, DESCRIPTOR_SET, SERVICE, RemoteOptions.TIMEOUT,
        RemoteOptions.RETRIES, RemoteOptions.USER, ConfDir.OPTION);
  }

  @Override
  public int run(CommandLine line, PrintStream out) throws Exception {
    List<String> args = line.expectPositionals(2, 3, "HOST:PORT METHOD [JSON]").positionals();
    String protocol = line.required(PROTOCOL.name());
    Target target = target(line, protocol);
    MethodDescriptor method = target.service().findMethodByName(args.get(1));
    if (method == null) {
      throw new UsageException("service " + target.service().getFullName() + " has no method "
          + args.get(1) + " (methods: " + target.service().getMethods().stream()
              .map(MethodDescriptor::getName).collect(Collectors.joining(", ")) + ")");
    }
    long version = line.longValue(VERSION.name(), target.defaultVersion(), 0, Long.MAX_VALUE);
    DynamicMessage request = parseRequest(method, args.size() > 2 ? args.get(2) : "{}");
    RemoteOptions remote = RemoteOptions.from(line, args.get(0));

    DynamicMessage response;
    try (Client client = remote.newClient()) {
      response = DynamicProtobufCall.call(client, remote.connection(protocol), protocol,
          version, method, request, remote.timeout());
    } catch (ConnectException e) {
      throw remote.unreachable(e);
    }
    out.println(JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(response));
    return Tusk.OK;
  }

  /** The service whose types to use and the version to send when none is given. */
  private record Target(ServiceDescriptor service, long defaultVersion) {}

  private static Target target(CommandLine line, String protocol) throws UsageException {
    if (line.has(DESCRIPTOR_SET.name())) {
      Path file = Path.of(line.value(DESCRIPTOR_SET.name(), ""));
      // Hadoop's protocols are at version 1 almost without exception.
      return new Target(DescriptorSets.service(file, line.value(SERVICE.name(), null)), 1);
    }
    if (line.has(SERVICE.name())) {
      throw new UsageException("--service needs --descriptor-set");
    }
    Optional<BuiltIn> builtIn = BuiltInProtocols.findProtobuf(protocol);
    if (builtIn.isEmpty()) {
      throw new UsageException("no built-in types for protocol " + protocol + " (built in: "
          + BuiltInProtocols.protobufNames() + "); give --descriptor-set FILE --service NAME");
    }
    return new Target(builtIn.get().service(), builtIn.get().version());
  }

  /** {@code json} as a request of {@code method}'s input type; a usage error when it is not. */
  static DynamicMessage parseRequest(MethodDescriptor method, String json)
      throws UsageException {
    String type = method.getInputType().getFullName();
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(method.getInputType());
    try {
      JsonFormat.parser().merge(json, builder);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      // JsonFormat reports syntax errors as InvalidProtocolBufferException, some as runtime ones.
      throw new UsageException("bad JSON for " + type + ": "
          + DescriptorSets.oneLine(Tusk.describe(e)));
    }
    try {
      return builder.build();
    } catch (UninitializedMessageException e) {
      throw new UsageException("request " + type + " misses required field(s) "
          + String.join(", ", e.getMissingFields()));
    }
  }
}
