package io.tusk.rpc.writable;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.RPC;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.conf.IpcKeys;
import io.tusk.rpc.testing.CapturedStderr;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import io.tusk.rpc.writable.TestProtocols.Everything;
import io.tusk.rpc.writable.TestProtocols.EverythingImpl;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code RPC.Builder.setVerbose(true)} logs Hadoop's lines for Writable calls, now through the
 * VerboseLogging interceptor: the Invocation as Hadoop prints it, then the return value.
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class WritableVerboseTest {
  @Test
  void verboseServerLogsCallAndReturnLines() throws Exception {
    String name = Threads.uniqueName("wverb");
    Configuration conf = new Configuration().setInt(IpcKeys.CLIENT_CONNECT_MAX_RETRIES, 0);
    int port;
    try (CapturedStderr err = new CapturedStderr();
        RPC.Server server = new RPC.Builder(conf).setProtocol(Everything.class)
            .setInstance(new EverythingImpl("v")).setNumHandlers(1).setVerbose(true)
            .setName(name).build().start()) {
      port = server.getPort();
      Everything proxy = RPC.getProxy(Everything.class, 3, new InetSocketAddress("127.0.0.1",
          port), conf);
      try {
        assertThat(proxy.add(40, 2)).isEqualTo(42);
      } finally {
        RPC.stopProxy(proxy);
      }

      String handler = "[" + name + "-handler-0@" + port + "] INFO io.tusk.rpc.RPC - ";
      assertThat(err.text().lines().filter(line -> line.startsWith(handler)))
          .hasSize(2)
          .satisfiesExactly(
              call -> assertThat(call).startsWith(handler + "Call: add(40, 2), rpc version=2,"
                  + " client version=3, methodsFingerPrint="),
              ret -> assertThat(ret).isEqualTo(handler + "Return: 42"));
    }
    Threads.assertNoneAlive(name, Duration.ofSeconds(10));
    Threads.assertNoneAlive("tusk-rpc-client-receiver@127.0.0.1:" + port, Duration.ofSeconds(10));
  }
}
