package io.tusk.rpc.examples.cli;

import io.tusk.rpc.RPC;
import io.tusk.rpc.RemoteException;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.examples.Calculator;
import io.tusk.rpc.examples.CalculatorException;
import io.tusk.rpc.examples.ExampleServer;
import io.tusk.rpc.examples.KeyNotFoundException;
import io.tusk.rpc.examples.KeyValueClientSideTranslatorPB;
import io.tusk.rpc.examples.KeyValueProtocolPB;
import io.tusk.rpc.examples.KeyValueStore;
import io.tusk.rpc.server.ProtocolEntry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code tusk demo}: starts a server on an ephemeral loopback port hosting both example protocols,
 * calls several methods of each through the {@link RPC} facade (including one that fails on
 * purpose in each engine), prints one line per call, and shuts everything down. Every result is
 * checked, so the demo fails (exit 1) rather than print something wrong.
 */
final class DemoCommand implements Command {
  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String summary() {
    return "Starts a server with both example protocols, calls them, prints what happened.";
  }

  @Override
  public String synopsis() {
    return "tusk demo";
  }

  @Override
  public String details() {
    return """
        One server on 127.0.0.1 (ephemeral port) hosts the Writable protocol
        io.tusk.rpc.examples.Calculator and the protobuf protocol
        io.tusk.rpc.examples.KeyValueProtocol; one client calls both, then everything is closed.""";
  }

  @Override
  public List<Option> options() {
    return List.of();
  }

  @Override
  public int run(CommandLine line, PrintStream out) throws Exception {
    line.expectPositionals(0, 0, "no arguments");
    Configuration conf = ExampleServer.withEngines(new Configuration());
    try (ExampleServer server = ExampleServer.start(conf, "127.0.0.1", 0, 2, 1, "tusk-demo")) {
      InetSocketAddress address = server.address();
      out.println("Server listening on " + address.getHostString() + ":" + address.getPort()
          + ", hosting:");
      for (ProtocolEntry entry : server.protocols()) {
        out.printf("  %-42s v%d  %s%n", entry.name(), entry.version(), entry.kind());
      }
      Calculator calculator = RPC.getProxy(Calculator.class, Calculator.VERSION, address, conf);
      KeyValueProtocolPB pb = RPC.getProxy(KeyValueProtocolPB.class, KeyValueProtocolPB.VERSION,
          address, conf);
      try {
        callCalculator(calculator, out);
        callKeyValueStore(new KeyValueClientSideTranslatorPB(pb), out);
      } finally {
        RPC.stopProxy(calculator);
        RPC.stopProxy(pb);
      }
      long calls = server.server().server().metrics().callsTotal();
      out.println("The server handled " + calls + " calls on one port; shutting down.");
    }
    out.println("Done: server and client closed.");
    return Tusk.OK;
  }

  private static void callCalculator(Calculator calculator, PrintStream out) throws IOException {
    String engine = "[writable] ";
    out.println(engine + "Calculator.add(2, 40) = " + expect(calculator.add(2, 40), 42L));
    out.println(engine + "Calculator.sum([1..10]) = "
        + expect(calculator.sum(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}), 55L));
    String[] words = calculator.words("one server two engines");
    expect(words.length, 4);
    out.println(engine + "Calculator.words(\"one server two engines\") = "
        + Arrays.toString(words));
    out.println(engine + "Calculator.divide(1, 0) failed on purpose: "
        + expectRemoteError(() -> calculator.divide(1, 0), CalculatorException.class));
  }

  private static void callKeyValueStore(KeyValueStore kv, PrintStream out) throws IOException {
    String engine = "[protobuf] ";
    kv.put("greeting", utf8("hello"));
    kv.put("answer", utf8("42"));
    out.println(engine + "KeyValue.put(\"greeting\", \"hello\"), put(\"answer\", \"42\")");
    out.println(engine + "KeyValue.get(\"greeting\") = \""
        + expect(text(kv.get("greeting")), "hello") + "\"");
    out.println(engine + "KeyValue.listKeys() = "
        + expect(kv.listKeys(null), List.of("answer", "greeting")));
    Map<String, byte[]> found = kv.multiGet(List.of("answer", "nothing", "greeting"));
    String shown = found.entrySet().stream().map(e -> e.getKey() + "=" + text(e.getValue()))
        .collect(Collectors.joining(", ", "{", "}"));
    out.println(engine + "KeyValue.multiGet(answer, nothing, greeting) = "
        + expect(shown, "{answer=42, greeting=hello}"));
    out.println(engine + "KeyValue.get(\"nothing\") failed on purpose: "
        + expectRemoteError(() -> kv.get("nothing"), KeyNotFoundException.class));
  }

  /** A call expected to fail remotely. */
  @FunctionalInterface
  private interface FailingCall {
    Object call() throws IOException;
  }

  /** Runs {@code call}, which must fail with a remote {@code expected}; returns how it failed. */
  private static String expectRemoteError(FailingCall call, Class<?> expected) throws IOException {
    try {
      Object result = call.call();
      throw new IllegalStateException("expected " + expected.getName() + " but got " + result);
    } catch (RemoteException e) {
      if (!e.getClassName().equals(expected.getName())) {
        throw e;
      }
      return e.getClassName() + ": " + e.getMessage();
    } catch (IOException e) {
      if (!expected.isInstance(e)) {
        throw e;
      }
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  private static <T> T expect(T actual, T expected) {
    if (!expected.equals(actual)) {
      throw new IllegalStateException("expected " + expected + " but got " + actual);
    }
    return actual;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
