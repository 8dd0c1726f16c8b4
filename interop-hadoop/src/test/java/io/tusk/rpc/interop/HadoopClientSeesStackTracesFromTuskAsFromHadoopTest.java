package io.tusk.rpc.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tusk.rpc.RpcKind;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.spi.ServerEngine;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.ipc.Client;
import org.apache.hadoop.ipc.HadoopIpcAccess;
import org.apache.hadoop.ipc.RemoteException;
import org.apache.hadoop.net.NetUtils;
import org.apache.hadoop.util.StringUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Hadoop 3.4.2 client's {@link RemoteException} for a failed call, from a real Hadoop server
 * and from Tusk's with and without {@code tusk.server.error.stack-traces}. Hadoop's server always
 * sends the stack trace in {@code errorMsg}; Tusk's sends it only when the setting is on, then in
 * Hadoop's exact form, checked against Hadoop's own {@link StringUtils#stringifyException} of the
 * very exception the handler threw.
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class HadoopClientSeesStackTracesFromTuskAsFromHadoopTest {
  private final AtomicReference<Exception> thrown = new AtomicReference<>();
  private HadoopEchoServer hadoop;
  private String name;
  private Server withTraces;
  private Server withoutTraces;
  private Configuration conf;
  private Client hadoopClient;

  /** RPC_BUILTIN calls fail with {@code FileNotFoundException(request text)}. */
  private ServerEngine<String> failing() {
    return ServerEngine.of("failing", RpcKind.RPC_BUILTIN,
        request -> StandardCharsets.UTF_8.decode(request).toString(),
        (srv, call, request) -> {
          FileNotFoundException e = new FileNotFoundException(request);
          thrown.set(e);
          throw e;
        });
  }

  @BeforeEach
  void start() throws IOException {
    hadoop = new HadoopEchoServer(new Configuration());
    hadoop.start();
    name = Threads.uniqueName("tusk-traces");
    withTraces = Server.builder().name(name + "-on").engine(failing()).errorStackTraces(true)
        .build().start();
    withoutTraces = Server.builder().name(name + "-off").engine(failing()).build().start();
    conf = new Configuration();
    conf.setInt("ipc.client.connect.max.retries", 0);
    conf.setInt("ipc.client.connection.maxidletime", 200); // connections close soon after
    hadoopClient = new Client(RawBytesWritable.class, conf);
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (hadoopClient != null) {
      hadoopClient.stop();
    }
    for (Server s : new Server[] {withTraces, withoutTraces}) {
      if (s != null) {
        s.close();
      }
    }
    Threads.assertNoneAlive(name, Duration.ofSeconds(10));
    if (hadoop != null) {
      hadoop.stop();
      hadoop.join();
    }
  }

  private RemoteException failedCall(int port, String text) {
    return catchThrowableOfType(() -> HadoopIpcAccess.call(hadoopClient,
        Writables.writable(text), HadoopIpcAccess.connectionId(
            new InetSocketAddress("127.0.0.1", port), EchoProtocol.class, conf)),
        RemoteException.class);
  }

  private RemoteException fromHadoop() {
    return failedCall(NetUtils.getConnectAddress(hadoop).getPort(), "throw:no such file");
  }

  private static String firstLine(String text) {
    return text.lines().findFirst().orElseThrow();
  }

  @Test
  void withTheSettingOnTheTextIsHadoopsStackTraceForm() throws IOException {
    RemoteException hadoops = fromHadoop();
    RemoteException tusks = failedCall(withTraces.getListenerAddress().getPort(), "no such file");

    assertThat(tusks.getClassName()).isEqualTo(hadoops.getClassName())
        .isEqualTo(FileNotFoundException.class.getName());
    assertThat(tusks.getErrorCode()).isEqualTo(hadoops.getErrorCode());
    String expected = StringUtils.stringifyException(thrown.get())
        .substring((FileNotFoundException.class.getName() + ": ").length());
    assertThat(tusks.getMessage()).isEqualTo(expected);
    // the same shape as Hadoop's server sends: the message, then the frames
    assertThat(firstLine(tusks.getMessage())).isEqualTo(firstLine(hadoops.getMessage()))
        .isEqualTo("no such file");
    assertThat(hadoops.getMessage().lines().skip(1).findFirst().orElseThrow()).startsWith("\tat ");
    assertThat(tusks.getMessage().lines().skip(1).findFirst().orElseThrow()).startsWith("\tat ");
    // and Hadoop's unwrapping treats both alike: the exception's message is the whole text
    assertThat(tusks.unwrapRemoteException(FileNotFoundException.class))
        .isInstanceOf(FileNotFoundException.class).hasMessage(tusks.getMessage());
    assertThat(hadoops.unwrapRemoteException(FileNotFoundException.class))
        .isInstanceOf(FileNotFoundException.class).hasMessage(hadoops.getMessage());
  }

  @Test
  void byDefaultTheTextIsTheFirstLineOfHadoops() {
    RemoteException hadoops = fromHadoop();
    RemoteException tusks = failedCall(withoutTraces.getListenerAddress().getPort(),
        "no such file");

    assertThat(tusks.getClassName()).isEqualTo(hadoops.getClassName());
    assertThat(tusks.getMessage()).isEqualTo(firstLine(hadoops.getMessage()))
        .isEqualTo("no such file");
    assertThat(hadoops.getMessage()).contains("\n\tat ");
  }
}
