package io.tusk.rpc.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.server.Server;
import io.tusk.rpc.testing.EchoEngine;
import io.tusk.rpc.testing.FakeTicker;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.ipc.Client;
import org.apache.hadoop.ipc.HadoopIpcAccess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hadoop 3.4.2's client keeps its connection to a Tusk server across a pause, as it keeps it to a
 * Hadoop server: with {@code ipc.client.connection.maxidletime=60000} the client does not close
 * a connection idle for 25 s, and a server keeping Hadoop's rules (fewer than
 * {@code ipc.client.idlethreshold} = 4000 connections open) does not either. Before issue 11 Tusk
 * closed every connection idle for 20 s and the call after the pause failed with EOFException.
 *
 * <p>The 25 s pass on the Tusk server's fake clock (the Hadoop client's own idle timer runs on
 * real time and is far from its 60 s). "The same connection" is checked on the server: one
 * connection open throughout, and both calls come from the same client address and port.
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class HadoopClientIdleConnectionTest {
  private final FakeTicker clock = new FakeTicker();
  private String serverName;
  private Server server;
  private Client hadoopClient;

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

  @Test
  void hadoopClientWithLongMaxIdleTimeCallsAgainOnTheSameConnectionAfter25IdleSeconds()
      throws Exception {
    serverName = Threads.uniqueName("tusk-idle");
    // Hadoop's server-side defaults (nothing set): threshold 4000, maxidletime 10 s, so an idle
    // connection would be closable after 20 s if enough were open.
    server = Server.builder().name(serverName).ticker(clock).engine(EchoEngine.registration())
        .build().start();
    Configuration conf = new Configuration();
    conf.setInt("ipc.client.connect.max.retries", 0);
    conf.setInt("ipc.client.connection.maxidletime", 60_000);
    hadoopClient = new Client(RawBytesWritable.class, conf);
    Client.ConnectionId remote = HadoopIpcAccess.connectionId(new InetSocketAddress("127.0.0.1",
        server.getListenerAddress().getPort()), EchoProtocol.class, conf);

    String first = clientAddressSeenByServer(remote);
    assertThat(server.getNumOpenConnections()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(25));
    // The readers look at their connections every 500 ms of real time: give them several looks
    // at the advanced clock; a close would show at once as no open connection.
    assertThat(openThroughout(Duration.ofMillis(2_000)))
        .as("the idle connection stays open on the Tusk server").isTrue();

    String second = clientAddressSeenByServer(remote);
    assertThat(second).as("the second call came over the same TCP connection").isEqualTo(first);
    assertThat(server.getNumOpenConnections()).isEqualTo(1);
  }

  /** The client's address and port as the server sees them (the tail of the echo's whoami). */
  private String clientAddressSeenByServer(Client.ConnectionId remote) throws IOException {
    RawBytesWritable answer = (RawBytesWritable) HadoopIpcAccess.call(hadoopClient,
        Writables.writable("whoami"), remote);
    String text = Writables.text(answer);
    String address = text.substring(text.lastIndexOf(' ') + 1);
    assertThat(address).startsWith("/127.0.0.1:");
    return address;
  }

  /** True when exactly one connection is open during all of {@code period} (polled). */
  private boolean openThroughout(Duration period) {
    long end = System.nanoTime() + period.toNanos();
    while (System.nanoTime() - end < 0) {
      if (server.getNumOpenConnections() != 1) {
        return false;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    return server.getNumOpenConnections() == 1;
  }
}
