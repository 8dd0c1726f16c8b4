package io.tusk.rpc.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tusk.rpc.server.Server;
import io.tusk.rpc.testing.EchoEngine;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.ipc.Client;
import org.apache.hadoop.ipc.HadoopIpcAccess;
import org.apache.hadoop.ipc.RPC;
import org.apache.hadoop.ipc.RemoteException;
import org.apache.hadoop.security.UserGroupInformation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hadoop 3.4.2's own {@code org.apache.hadoop.ipc.Client} calls a Tusk server: RPC_BUILTIN requests
 * carrying a Hadoop Writable ({@link RawBytesWritable}), answered by Tusk's echo test engine.
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class HadoopClientCallsTuskServerTest {
  private Server server;
  private String serverName;
  private Client hadoopClient;
  private Client.ConnectionId remote;

  @BeforeEach
  void start() throws IOException {
    serverName = Threads.uniqueName("tusk-for-hadoop");
    server = Server.builder().name(serverName).engine(EchoEngine.registration()).build().start();
    Configuration conf = new Configuration();
    conf.setInt("ipc.client.connect.max.retries", 0);
    // Hadoop caches one Client per JVM whose connections outlive stopProxy until idle; a short
    // idle time lets each close (thread and socket) right after the test, so LeakCheck applies.
    conf.setInt("ipc.client.connection.maxidletime", 200);
    hadoopClient = new Client(RawBytesWritable.class, conf);
    remote = HadoopIpcAccess.connectionId(new InetSocketAddress("127.0.0.1",
        server.getListenerAddress().getPort()), EchoProtocol.class, conf);
  }

  @AfterEach
  void stop() {
    if (hadoopClient != null) {
      hadoopClient.stop();
    }
    if (server != null) {
      server.close();
      Threads.assertNoneAlive(serverName, Duration.ofSeconds(10));
    }
  }

  private String call(String text) throws IOException {
    RawBytesWritable answer = (RawBytesWritable) HadoopIpcAccess.call(hadoopClient,
        Writables.writable(text), remote);
    return Writables.text(answer);
  }

  @Test
  void tuskServerEchoesHadoopClientRequest() throws IOException {
    assertThat(call("hello tusk")).isEqualTo("hello tusk");
  }

  @Test
  void tuskServerSeesHadoopClientUser() throws IOException {
    String answer = call("whoami");

    assertThat(answer).startsWith(UserGroupInformation.getCurrentUser().getUserName() + " ");
    assertThat(answer).contains("127.0.0.1");
  }

  @Test
  void concurrentHadoopCallersAreAnsweredInTheirOwnCalls() throws Exception {
    List<CompletableFuture<String>> futures = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      futures.add(CompletableFuture.supplyAsync(() -> {
        try {
          for (int i = 0; i < 200; i++) {
            String sent = "h" + thread + "-" + i;
            String got = call(sent);
            if (!got.equals(sent)) {
              return "sent " + sent + " got " + got;
            }
          }
          return "ok";
        } catch (IOException e) {
          return e.toString();
        }
      }));
    }
    for (CompletableFuture<String> f : futures) {
      assertThat(f.get()).isEqualTo("ok");
    }
  }

  @Test
  void tuskApplicationExceptionUnwrapsInHadoopClient() {
    RemoteException e = catchThrowableOfType(
        () -> call("throw:java.io.FileNotFoundException:no such file"), RemoteException.class);

    assertThat(e.getClassName()).isEqualTo("java.io.FileNotFoundException");
    IOException unwrapped = e.unwrapRemoteException(FileNotFoundException.class);
    assertThat(unwrapped).isInstanceOf(FileNotFoundException.class)
        .hasMessage("no such file");
  }

  @Test
  void unknownRpcKindIsReportedToHadoopAsHadoopReportsIt() throws IOException {
    RemoteException e = catchThrowableOfType(
        () -> HadoopIpcAccess.call(hadoopClient, RPC.RpcKind.RPC_WRITABLE,
            Writables.writable("x"), remote), RemoteException.class);

    assertThat(e.getClassName()).isEqualTo("org.apache.hadoop.ipc.RpcServerException");
    assertThat(e.getMessage()).isEqualTo("Unknown rpc kind in rpc headerRPC_WRITABLE");
    assertThat(e.getErrorCode().name()).isEqualTo("FATAL_INVALID_RPC_HEADER");
    // the FATAL answer closed that connection only: the next call reconnects and works
    assertThat(call("still here")).isEqualTo("still here");
  }
}
