package io.tusk.rpc.internal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.rpc.server.Server;
import io.tusk.rpc.testing.EchoEngine;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A start that fails after the readers and the responder opened their selectors (the port is
 * taken, so the bind fails) leaves no selector open and no thread, and the lifecycle calls after
 * it (shutdownNow, shutdown, close, awaitTermination) neither throw nor hang.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@ExtendWith(LeakCheck.class)
class FailedStartTest {

  @Test
  void startThatFailsAfterOpeningSelectorsClosesThemAndStartsNoThread() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      String name = Threads.uniqueName("srv");
      ServerRuntime runtime = new ServerRuntime(null, Server.builder().bindAddress("127.0.0.1")
          .port(taken.getLocalPort()).readerCount(3).handlerCount(2)
          .shutdownGrace(Duration.ofSeconds(1)).options(), name);
      runtime.registerEngine(EchoEngine.registration());

      assertThatThrownBy(runtime::start).isInstanceOf(IOException.class);

      assertThat(runtime.readers).hasSize(3).allSatisfy(reader ->
          assertThat(reader.selector.isOpen()).as("reader selector closed").isFalse());
      assertThat(runtime.responder().isSelectorOpen()).as("responder selector closed").isFalse();
      assertThat(Threads.alive(name)).isEmpty();
      assertThatThrownBy(runtime::address).isInstanceOf(IllegalStateException.class);

      runtime.shutdownNow(); // used to dereference the listener that was never made
      runtime.shutdown();
      runtime.close();
      assertThat(runtime.awaitTermination(Duration.ofSeconds(1))).isTrue();
      assertThat(runtime.isTerminated()).isTrue();
      assertThatThrownBy(runtime::start).isInstanceOf(IllegalStateException.class);
      Threads.assertNoneAlive(name, Duration.ofSeconds(1));
    }
  }
}
