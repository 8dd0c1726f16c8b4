package io.tusk.rpc.writable;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.RPC;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.conf.IpcKeys;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcStatusProto;
import io.tusk.rpc.testing.Await;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.RawRpcPeer;
import io.tusk.rpc.testing.Threads;
import io.tusk.rpc.writable.HostileTargetServer.Echo;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 9, item 1, end to end: hostile Writable requests against a server in a JVM of its own
 * with a 256 MiB heap, while a well-behaved client keeps calling it on its own connection. Each
 * hostile connection must get a FATAL answer and be closed, with one log line in the server's
 * output; the well-behaved client must be served throughout and afterwards, new connections too,
 * and the server process must stay alive.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(LeakCheck.class)
class HostileWritableRequestTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final long HEAP = 256L << 20;

  /** One hostile request: what it is, its parameter bytes, what the FATAL answer must say. */
  private record Hostile(String label, byte[] parameter, String answerSays) {}

  private final List<String> output = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final CompletableFuture<Long> maxHeap = new CompletableFuture<>();
  private String name;
  private Process child;
  private Thread pump;

  @BeforeEach
  void startServerInItsOwnJvm() throws IOException {
    name = Threads.uniqueName("hostile");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    assertThat(classPath).as("the child's log binding").contains("slf4j-simple");
    child = new ProcessBuilder(java, "-Xmx" + (HEAP >> 20) + "m", "-cp", classPath,
        HostileTargetServer.class.getName()).redirectErrorStream(true).start();
    // not named after the test (name) so that the leak check below does not count it
    pump = new Thread(this::pumpOutput, "hostile-jvm-output@" + child.pid());
    pump.setDaemon(true);
    pump.start();
  }

  @AfterEach
  void stopServer() throws Exception {
    try {
      child.getOutputStream().close(); // the child's cue to stop
      if (!child.waitFor(15, TimeUnit.SECONDS)) {
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } finally {
      if (child.isAlive()) {
        child.destroyForcibly();
      }
      pump.join(10_000);
      output.forEach(line -> System.out.println("[server JVM] " + line));
    }
  }

  @Test
  void hostileRequestsCloseOnlyTheirConnectionAndTheServerKeepsServing() throws Exception {
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", port.get(60, TimeUnit.SECONDS));
    assertThat(maxHeap.get(1, TimeUnit.SECONDS)).isLessThanOrEqualTo(HEAP);
    Await.until(WAIT, "the server's start line (slf4j-simple on the child's classpath)",
        () -> output.stream().anyMatch(line -> line.contains("listening on")));
    List<Hostile> hostile = List.of(
        new Hostile("nested Object[] bomb", HostileRequests.objectArrayBomb(3_000, 65_536),
            "java.lang.Object"),
        new Hostile("Writable[]/ObjectWritable chain 5,000 deep",
            HostileRequests.writableChain(5_000), "deeper than 32 levels"),
        new Hostile("Object[] of one element 10,000 deep", HostileRequests.deepObjectArrays(10_000),
            "java.lang.Object"),
        new Hostile("compact long[] of 2^31-1", HostileRequests.hugeCompactArray("long"),
            "EOFException"),
        new Hostile("element-by-element long[] of 2^31-1", HostileRequests.hugeElementArray(),
            "EOFException"));
    assertThat(hostile.get(0).parameter().length).isBetween(74_000, 76_000);

    int[] hostilePorts = new int[hostile.size()];
    try (GoodClient good = new GoodClient(address, name + "-good-client")) {
      good.awaitMoreSuccesses(5);
      for (int i = 0; i < hostile.size(); i++) {
        Hostile h = hostile.get(i);
        hostilePorts[i] = sendAndExpectFatal(address, h);
        int localPort = hostilePorts[i];
        Await.until(WAIT, "the server's log line about " + h.label(),
            () -> linesAbout(localPort).size() >= 1);
        good.awaitMoreSuccesses(5);
        assertThat(child.isAlive()).as("server JVM alive after " + h.label()).isTrue();
      }
      assertThat(echoOnANewConnection(address, "after all")).isEqualTo("after all");
      good.awaitMoreSuccesses(5);
      assertThat(good.failures).as("failures of the well-behaved client").isEmpty();
    }
    for (int i = 0; i < hostile.size(); i++) {
      assertThat(linesAbout(hostilePorts[i])).as("log lines about " + hostile.get(i).label())
          .hasSize(1);
    }
    assertThat(output).noneMatch(line -> line.contains("OutOfMemoryError")
        || line.contains("StackOverflowError") || line.contains("its connections are closed")
        || line.contains("is FAILED")); // ServerRuntime.roleFailed: a role thread ended
    assertThat(child.isAlive()).isTrue();
    Threads.assertNoneAlive(name, Duration.ofSeconds(10));
    Threads.assertNoneAlive("tusk-rpc-client-receiver@127.0.0.1:" + address.getPort(),
        Duration.ofSeconds(10));
  }

  /** Sends {@code h} on a connection of its own; returns that connection's local port. */
  private static int sendAndExpectFatal(InetSocketAddress address, Hostile h) throws IOException {
    try (RawRpcPeer peer = RawRpcPeer.connect(address).preamble().context("mallory", Echo.NAME)) {
      peer.call(RpcKind.RPC_WRITABLE, 7,
          HostileRequests.invocation(Echo.NAME, "echo", Echo.VERSION, h.parameter()));
      RpcResponseHeaderProto answer = peer.readResponse().header();
      assertThat(answer.getStatus()).as(h.label()).isEqualTo(RpcStatusProto.FATAL);
      assertThat(answer.getErrorDetail()).as(h.label())
          .isEqualTo(RpcErrorCodeProto.FATAL_DESERIALIZING_REQUEST);
      assertThat(answer.getErrorMsg()).as(h.label()).contains(h.answerSays());
      assertThat(peer.awaitClosed()).as(h.label() + ": connection closed").isTrue();
      return peer.localAddress().getPort();
    }
  }

  /** A correct echo call on a fresh raw connection (the issue's symptom: these were never read). */
  private static String echoOnANewConnection(InetSocketAddress address, String text)
      throws IOException {
    byte[] parameter = Bytes.of(out -> ObjectWritable.writeObject(out, text, String.class));
    try (RawRpcPeer peer = RawRpcPeer.connect(address).preamble().context("alice", Echo.NAME)) {
      RawRpcPeer.Response answer = peer.call(RpcKind.RPC_WRITABLE, 1,
          HostileRequests.invocation(Echo.NAME, "echo", Echo.VERSION, parameter)).readResponse();
      assertThat(answer.header().getStatus()).isEqualTo(RpcStatusProto.SUCCESS);
      return (String) ObjectWritable.readObject(
          new DataInputStream(new ByteArrayInputStream(answer.payload())));
    }
  }

  private List<String> linesAbout(int clientPort) {
    Pattern connection = Pattern.compile("127\\.0\\.0\\.1:" + clientPort + "(?!\\d)");
    return output.stream().filter(line -> connection.matcher(line).find()).toList();
  }

  private void pumpOutput() {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        output.add(line);
        if (line.startsWith("PORT ")) {
          port.complete(Integer.parseInt(line.substring(5).trim()));
        } else if (line.startsWith("MAX_HEAP ")) {
          maxHeap.complete(Long.parseLong(line.substring(9).trim()));
        }
      }
    } catch (IOException e) {
      output.add("(output pump: " + e + ")");
    } finally {
      port.completeExceptionally(new IOException("the server JVM ended before printing its port"));
      maxHeap.completeExceptionally(new IOException("the server JVM ended early"));
    }
  }

  /** A Writable client calling {@link Echo#echo} in a loop, on its own thread and connection. */
  private static final class GoodClient implements AutoCloseable {
    final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicLong successes = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Echo proxy;
    private final Thread thread;

    GoodClient(InetSocketAddress address, String threadName) throws IOException {
      Configuration conf = new Configuration().setInt(IpcKeys.CLIENT_CONNECT_MAX_RETRIES, 0)
          .setInt(IpcKeys.CLIENT_RPC_TIMEOUT_MS, 5_000);
      proxy = RPC.getProxy(Echo.class, Echo.VERSION, address, conf);
      thread = new Thread(this::loop, threadName);
      thread.start();
    }

    private void loop() {
      for (long i = 0; running.get(); i++) {
        String text = "call " + i;
        try {
          String answer = proxy.echo(text);
          if (text.equals(answer)) {
            successes.incrementAndGet();
          } else {
            failures.add(text + " answered " + answer);
          }
        } catch (IOException | RuntimeException e) {
          failures.add(text + ": " + e);
        }
      }
    }

    void awaitMoreSuccesses(long more) {
      long target = successes.get() + more;
      Await.until(WAIT, "the well-behaved client to be served (" + failures + ")",
          () -> successes.get() >= target);
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(30_000);
      RPC.stopProxy(proxy);
    }
  }
}
