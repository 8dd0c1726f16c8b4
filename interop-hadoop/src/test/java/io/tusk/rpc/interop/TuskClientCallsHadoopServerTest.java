package io.tusk.rpc.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tusk.rpc.RemoteException;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.net.NetUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Tusk's client speaks to a real Hadoop 3.4.2 {@code org.apache.hadoop.ipc.Server}. */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class TuskClientCallsHadoopServerTest {
  private HadoopEchoServer hadoop;
  private Client client;
  private ConnectionId remote;
  private String clientName;

  @BeforeEach
  void start() throws IOException {
    hadoop = new HadoopEchoServer(new Configuration());
    hadoop.start();
    InetSocketAddress address = NetUtils.getConnectAddress(hadoop);
    clientName = Threads.uniqueName("tusk-to-hadoop");
    client = Client.builder().name(clientName).build();
    remote = ConnectionId.of(new InetSocketAddress("127.0.0.1", address.getPort()),
        EchoProtocol.class.getName());
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (client != null) {
      client.close();
    }
    if (hadoop != null) {
      hadoop.stop();
      hadoop.join();
    }
  }

  @Test
  void hadoopServerEchoesTuskRequest() throws IOException {
    ByteBuffer answer = client.call(RpcKind.RPC_BUILTIN, Writables.payload("hello hadoop"), remote);

    assertThat(Writables.text(answer)).isEqualTo("hello hadoop");
  }

  @Test
  void hadoopServerReadsTuskConnectionContext() throws IOException {
    client.call(RpcKind.RPC_BUILTIN, Writables.payload("who"), remote);

    assertThat(hadoop.lastProtocol).isEqualTo(EchoProtocol.class.getName());
    assertThat(hadoop.lastUser).isEqualTo(remote.user());
  }

  @Test
  void concurrentCallsOverOneConnectionAreMatchedToTheirCallers() throws Exception {
    List<CompletableFuture<String>> futures = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      futures.add(CompletableFuture.supplyAsync(() -> {
        try {
          for (int i = 0; i < 200; i++) {
            String sent = "t" + thread + "-c" + i;
            String got = Writables.text(client.call(RpcKind.RPC_BUILTIN, Writables.payload(sent),
                remote));
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
    assertThat(client.connectionCount()).isEqualTo(1);
  }

  @Test
  void hadoopApplicationExceptionUnwrapsInTusk() {
    RemoteException e = catchThrowableOfType(
        () -> client.call(RpcKind.RPC_BUILTIN, Writables.payload("throw:no such file"), remote),
        RemoteException.class);

    assertThat(e.getClassName()).isEqualTo("java.io.FileNotFoundException");
    assertThat(e.getMessage().lines().findFirst()).contains("no such file");
    assertThat(e.unwrapRemoteException(FileNotFoundException.class))
        .isInstanceOf(FileNotFoundException.class);
  }

  @Test
  void closingTuskClientLeavesNoThread() throws IOException {
    client.call(RpcKind.RPC_BUILTIN, Writables.payload("x"), remote);
    client.close();
    client = null;

    Threads.assertNoneAlive(clientName, Duration.ofSeconds(10));
  }
}
