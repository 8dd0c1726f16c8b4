package io.tusk.rpc.interop;

import io.tusk.rpc.server.Server;
import io.tusk.rpc.testing.EchoEngine;
import io.tusk.rpc.testing.Threads;
import java.io.IOException;
import java.time.Duration;
import org.apache.hadoop.conf.Configuration;

/**
 * A real Hadoop 3.4.2 echo server and a Tusk server with the echo test engine, both started on
 * loopback, for tests that send the same raw bytes to each and compare the answers.
 * {@link #close()} stops both and checks that Tusk's threads ended.
 */
final class EchoServersSideBySide implements AutoCloseable {
  private final HadoopEchoServer hadoop;
  private final Server tusk;
  private final String tuskName;

  /** Starts both; Tusk's threads are named after {@code tuskName}. */
  EchoServersSideBySide(String tuskName) throws IOException {
    this.tuskName = Threads.uniqueName(tuskName);
    this.hadoop = new HadoopEchoServer(new Configuration());
    hadoop.start();
    Server started = null;
    try {
      started = Server.builder().name(this.tuskName).engine(EchoEngine.registration()).build()
          .start();
    } finally {
      if (started == null) {
        hadoop.stop();
      }
    }
    this.tusk = started;
  }

  HadoopEchoServer hadoop() {
    return hadoop;
  }

  Server tusk() {
    return tusk;
  }

  @Override
  public void close() throws InterruptedException {
    try {
      tusk.close();
      Threads.assertNoneAlive(tuskName, Duration.ofSeconds(10));
    } finally {
      hadoop.stop();
      hadoop.join();
    }
  }
}
