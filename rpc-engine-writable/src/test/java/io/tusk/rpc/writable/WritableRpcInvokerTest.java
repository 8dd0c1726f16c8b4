package io.tusk.rpc.writable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tusk.rpc.ProtocolSignature;
import io.tusk.rpc.RPC;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.RpcServerException;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.server.CallContext;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import io.tusk.rpc.writable.TestProtocols.Base;
import io.tusk.rpc.writable.TestProtocols.Child;
import io.tusk.rpc.writable.TestProtocols.ChildImpl;
import io.tusk.rpc.writable.TestProtocols.Everything;
import io.tusk.rpc.writable.TestProtocols.EverythingImpl;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The server invoker's routing and error mapping, without a network (the server is not started). */
@Timeout(20)
@ExtendWith(LeakCheck.class)
class WritableRpcInvokerTest {
  private static final String EVERYTHING = "tusk.test.Everything";

  private final WritableServerEngine engine = new WritableServerEngine();
  private Server server;

  @BeforeEach
  void createServer() {
    server = Server.builder().name(Threads.uniqueName("inv")).build();
    server.addProtocol(engine, Everything.class, new EverythingImpl("s"));
    server.addProtocol(engine, Child.class, new ChildImpl());
  }

  private io.tusk.rpc.spi.ProtocolBindings bindings() {
    return server.protocols().bindings(RpcKind.RPC_WRITABLE);
  }

  @AfterEach
  void closeServer() {
    server.close();
  }

  private static CallContext context(String protocol) {
    return new CallContext(1, 0, new byte[16], RpcKind.RPC_WRITABLE, protocol, "me", null,
        new InetSocketAddress("127.0.0.1", 1), System.nanoTime());
  }

  private static Invocation invocation(String protocol, long version, String method,
      Class<?>[] types, Object... args) {
    return new Invocation(protocol, version, 0, method, types, args,
        WireClassResolver.defaultResolver());
  }

  private Object call(String connectionProtocol, Invocation invocation) throws Exception {
    // through the decoder, as a server does
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    invocation.write(new DataOutputStream(bytes));
    return callBytes(connectionProtocol, bytes.toByteArray());
  }

  private Object callBytes(String connectionProtocol, byte[] request) throws Exception {
    Invocation decoded = engine.decoder().decode(ByteBuffer.wrap(request));
    RpcPayload payload = engine.invoker().call(bindings(), context(connectionProtocol), decoded);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    payload.writeTo(new DataOutputStream(out));
    return ObjectWritable.read(new DataInputStream(
        new java.io.ByteArrayInputStream(out.toByteArray())),
        WireClassResolver.defaultResolver()).get();
  }

  @Test
  void runsTheMethodAndReturnsItsValueAsObjectWritable() throws Exception {
    Object result = call(EVERYTHING, invocation(EVERYTHING, 3, "add",
        new Class<?>[] {int.class, int.class}, 2, 40));

    assertThat(result).isEqualTo(42);
  }

  @Test
  void boxedParametersWrittenAsPrimitivesFindTheBoxedMethod() throws Exception {
    Object result = call(EVERYTHING, invocation(EVERYTHING, 3, "boxedAdd",
        new Class<?>[] {Integer.class, Long.class}, 1, 2L));

    assertThat(result).isEqualTo(3);
  }

  @Test
  void rejectsAnotherWritableRpcVersionAsHadoopDoes() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    invocation(EVERYTHING, 3, "add", new Class<?>[] {int.class, int.class}, 1, 2)
        .write(new DataOutputStream(bytes));
    byte[] request = bytes.toByteArray();
    request[7] = 3; // rpcVersion is the first long

    Throwable t = catchThrowable(() -> callBytes(EVERYTHING, request));

    assertThat(t).isExactlyInstanceOf(RpcServerException.class).hasMessage(
        "WritableRpc version mismatch, client side version=3, server side version=2");
    assertThat(((RpcServerException) t).errorCode()).isEqualTo(RpcErrorCodeProto.ERROR_RPC_SERVER);
  }

  @Test
  void unknownProtocolIsAnRpcServerException() {
    Throwable t = catchThrowable(() -> call(EVERYTHING,
        invocation("tusk.test.Nobody", 1, "hello", new Class<?>[0])));

    assertThat(t).isExactlyInstanceOf(RpcServerException.class)
        .hasMessage("Unknown protocol: tusk.test.Nobody");
    assertThat(((RpcServerException) t).errorCode()).isEqualTo(RpcErrorCodeProto.ERROR_RPC_SERVER);
  }

  @Test
  void versionNotServedIsAVersionMismatch() {
    Throwable t = catchThrowable(() -> call(EVERYTHING,
        invocation(EVERYTHING, 7, "add", new Class<?>[] {int.class, int.class}, 1, 2)));

    assertThat(t).isExactlyInstanceOf(RPC.VersionMismatch.class)
        .hasMessage("Protocol tusk.test.Everything version mismatch. (client = 7, server = 3)");
  }

  @Test
  void unknownMethodIsAnIoExceptionCarryingNoSuchMethodException() {
    Throwable t = catchThrowable(() -> call(EVERYTHING,
        invocation(EVERYTHING, 3, "missing", new Class<?>[] {int.class}, 1)));

    assertThat(t).isExactlyInstanceOf(IOException.class).hasMessage(
        "java.lang.NoSuchMethodException: " + Everything.class.getName() + ".missing(int)");
  }

  @Test
  void anIoExceptionOfTheMethodTravelsAsItself() {
    Throwable t = catchThrowable(() -> call(EVERYTHING,
        invocation(EVERYTHING, 3, "failWith", new Class<?>[] {String.class}, "no file")));

    assertThat(t).isExactlyInstanceOf(FileNotFoundException.class).hasMessage("no file");
  }

  @Test
  void anyOtherExceptionBecomesAnIoExceptionOfItsToString() {
    Throwable t = catchThrowable(() -> call(EVERYTHING,
        invocation(EVERYTHING, 3, "failUnchecked", new Class<?>[] {String.class}, "boom")));

    assertThat(t).isExactlyInstanceOf(IOException.class)
        .hasMessage("java.lang.IllegalStateException: boom");
  }

  @Test
  void superProtocolsAreServedUnderTheirOwnNameAndVersion() throws Exception {
    assertThat(call(Child.class.getName(), invocation(Base.class.getName(), 1, "base",
        new Class<?>[] {String.class}, "x"))).isEqualTo("base:x");
    assertThat(call(Child.class.getName(), invocation(Child.class.getName(), 2, "child",
        new Class<?>[] {String.class}, "y"))).isEqualTo("child:y");
    assertThat(server.protocols().versions(RpcKind.RPC_WRITABLE, Base.class.getName()))
        .singleElement().satisfies(e -> assertThat(e.version()).isEqualTo(1));
  }

  @Test
  void versionedProtocolMethodsGoToTheHighestVersionOfTheConnectionsProtocol() throws Exception {
    Object signature = call(Child.class.getName(), invocation(
        WireClassResolver.VERSIONED_PROTOCOL_NAME, 0, "getProtocolSignature",
        new Class<?>[] {String.class, long.class, int.class}, Child.class.getName(), 0L, 0));

    assertThat(signature).isEqualTo(ProtocolSignature.of(Child.class, 2));
  }

  @Test
  void versionedProtocolMethodsWithoutAKnownConnectionProtocolFail() {
    Throwable t = catchThrowable(() -> call(null, invocation(
        WireClassResolver.VERSIONED_PROTOCOL_NAME, 0, "getProtocolVersion",
        new Class<?>[] {String.class, long.class}, "x", 0L)));

    assertThat(t).isExactlyInstanceOf(RpcServerException.class)
        .hasMessage("Unknown protocol: null");
  }

  @Test
  void returnValuesAreDeclaredAsTheMethodsReturnTypeNotCompact() throws Exception {
    RpcPayload payload = new WritableRpcInvoker(WireClassResolver.defaultResolver()).call(bindings(),
        context(EVERYTHING), invocation(EVERYTHING, 3, "reverseBytes",
            new Class<?>[] {byte[].class}, (Object) new byte[] {1, 2}));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    payload.writeTo(new DataOutputStream(out));

    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    ObjectWritable.writeObject(new DataOutputStream(expected), new byte[] {2, 1}, byte[].class);
    assertThat(out.toByteArray()).isEqualTo(expected.toByteArray());
    assertThat(payload).hasToString("[[2, 1]]");
  }
}
