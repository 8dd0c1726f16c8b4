package io.tusk.rpc.interop.writable;

import static io.tusk.rpc.interop.writable.CalculatorProtocols.NAME;
import static io.tusk.rpc.interop.writable.CalculatorProtocols.VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tusk.rpc.RemoteException;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.interop.writable.CalculatorProtocols.HadoopCalculator;
import io.tusk.rpc.interop.writable.CalculatorProtocols.HadoopCalculatorImpl;
import io.tusk.rpc.interop.writable.CalculatorProtocols.TuskCalculator;
import io.tusk.rpc.interop.writable.CalculatorProtocols.TuskCalculatorImpl;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import io.tusk.rpc.writable.Invocation;
import io.tusk.rpc.writable.MethodFingerprints;
import io.tusk.rpc.writable.WireClassResolver;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.stream.Stream;
import org.apache.hadoop.ipc.WritableRpcEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same raw {@code RPC_WRITABLE} requests go to a Hadoop 3.4.2 Writable server and to Tusk's,
 * both hosting the calculator; each failure must come back with the same exception class name,
 * error code and first message line (Hadoop appends a stack trace; class names of the two
 * implementations are normalised). This checks, against the real server, the choices
 * docs/writable-engine-and-facade.md says follow Hadoop: a wrong rpcVersion is an
 * {@code RpcServerException} with ERROR_RPC_SERVER, and a non-IOException from the method
 * travels as {@code java.io.IOException} with {@code target.toString()}.
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
@LeakCheck.ClassScope // one Tusk client and both servers for all tests, opened in @BeforeAll
class WritableServerErrorsMatchHadoopWritableServerTest {
  private static org.apache.hadoop.ipc.RPC.Server hadoop;
  private static io.tusk.rpc.RPC.Server tusk;
  private static String names;
  private static Client client;
  private static ConnectionId hadoopRemote;
  private static ConnectionId tuskRemote;

  @BeforeAll
  static void start() throws IOException {
    org.apache.hadoop.conf.Configuration hconf = new org.apache.hadoop.conf.Configuration();
    org.apache.hadoop.ipc.RPC.setProtocolEngine(hconf, HadoopCalculator.class,
        WritableRpcEngine.class);
    hadoop = new org.apache.hadoop.ipc.RPC.Builder(hconf).setProtocol(HadoopCalculator.class)
        .setInstance(new HadoopCalculatorImpl()).setBindAddress("127.0.0.1").setPort(0)
        .setNumHandlers(1).build();
    hadoop.start();
    names = Threads.uniqueName("writable-errors");
    tusk = new io.tusk.rpc.RPC.Builder(new io.tusk.rpc.conf.Configuration())
        .setProtocol(TuskCalculator.class).setInstance(new TuskCalculatorImpl())
        .setBindAddress("127.0.0.1").setPort(0).setNumHandlers(1).setName(names + "-server")
        .build().start();
    client = Client.builder().name(names + "-client").build();
    hadoopRemote = ConnectionId.of(
        new InetSocketAddress("127.0.0.1", hadoop.getListenerAddress().getPort()), NAME);
    tuskRemote = ConnectionId.of(new InetSocketAddress("127.0.0.1", tusk.getPort()), NAME);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (client != null) {
      client.close();
    }
    if (tusk != null) {
      tusk.stop();
    }
    if (hadoop != null) {
      hadoop.stop();
      hadoop.join();
    }
    Threads.assertNoneAlive(names, Duration.ofSeconds(10));
  }

  /** What a failure looks like to a client, with the two implementations' names made equal. */
  record Failure(String className, Object errorCode, String firstLine) {
    static Failure of(RemoteException e) {
      String first = e.getMessage().lines().findFirst().orElse("")
          .replace(HadoopCalculator.class.getName(), "<calculator>")
          .replace(TuskCalculator.class.getName(), "<calculator>");
      return new Failure(e.getClassName(), e.getErrorCode(), first);
    }
  }

  static Stream<Arguments> badRequests() throws IOException {
    return Stream.of(
        Arguments.of("rpcVersion 3", withRpcVersion(3,
            invocation(NAME, VERSION, "add", new Class<?>[] {int.class, int.class}, 1, 2))),
        Arguments.of("rpcVersion 1", withRpcVersion(1,
            invocation(NAME, VERSION, "add", new Class<?>[] {int.class, int.class}, 1, 2))),
        Arguments.of("unknown protocol", invocation("tusk.interop.Nobody", 1, "add",
            new Class<?>[] {int.class, int.class}, 1, 2)),
        Arguments.of("version not hosted", invocation(NAME, 3, "add",
            new Class<?>[] {int.class, int.class}, 1, 2)),
        Arguments.of("unknown method", invocation(NAME, VERSION, "missing",
            new Class<?>[] {int.class}, 1)),
        Arguments.of("known method, other parameter types", invocation(NAME, VERSION, "add",
            new Class<?>[] {long.class, int.class}, 1L, 2)),
        Arguments.of("IOException subclass from the method", invocation(NAME, VERSION,
            "overQuota", new Class<?>[] {long.class}, 7L)),
        Arguments.of("unchecked exception from the method", invocation(NAME, VERSION,
            "failUnchecked", new Class<?>[] {String.class}, "broken")),
        Arguments.of("NullPointerException from the method", invocation(NAME, VERSION,
            "totalLength", new Class<?>[] {String[].class}, (Object) null)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void tuskServerFailsAsHadoopServerDoes(String name, byte[] request) {
    Failure fromHadoop = Failure.of(failure(request, hadoopRemote));
    Failure fromTusk = Failure.of(failure(request, tuskRemote));

    assertThat(fromTusk).isEqualTo(fromHadoop);
  }

  @Test
  void wrongRpcVersionIsRpcServerExceptionWithErrorRpcServer() throws IOException {
    RemoteException e = failure(withRpcVersion(3, invocation(NAME, VERSION, "add",
        new Class<?>[] {int.class, int.class}, 1, 2)), hadoopRemote);

    assertThat(Failure.of(e)).isEqualTo(new Failure("org.apache.hadoop.ipc.RpcServerException",
        io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto
            .ERROR_RPC_SERVER,
        "WritableRpc version mismatch, client side version=3, server side version=2"));
  }

  @Test
  void bothServersStillAnswerAfterTheFailures() throws IOException {
    byte[] add = invocation(NAME, VERSION, "add", new Class<?>[] {int.class, int.class}, 40, 2);

    ByteBuffer fromHadoop = client.call(RpcKind.RPC_WRITABLE, RpcPayload.ofBytes(add),
        hadoopRemote);
    ByteBuffer fromTusk = client.call(RpcKind.RPC_WRITABLE, RpcPayload.ofBytes(add), tuskRemote);

    assertThat(fromTusk).isEqualTo(fromHadoop);
  }

  private static RemoteException failure(byte[] request, ConnectionId remote) {
    return catchThrowableOfType(
        () -> client.call(RpcKind.RPC_WRITABLE, RpcPayload.ofBytes(request), remote),
        RemoteException.class);
  }

  private static byte[] invocation(String protocol, long version, String method,
      Class<?>[] types, Object... args) throws IOException {
    Invocation invocation = new Invocation(protocol, version,
        MethodFingerprints.getProtocolFingerprint(TuskCalculator.class), method, types, args,
        WireClassResolver.defaultResolver());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    invocation.write(new DataOutputStream(bytes));
    return bytes.toByteArray();
  }

  /** The same request with another rpcVersion (its first eight bytes). */
  private static byte[] withRpcVersion(long rpcVersion, byte[] request) {
    ByteBuffer.wrap(request).putLong(0, rpcVersion);
    return request;
  }
}
