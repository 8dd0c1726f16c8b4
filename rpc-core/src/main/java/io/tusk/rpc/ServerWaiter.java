package io.tusk.rpc;

import io.tusk.rpc.client.ClientOptions;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import javax.net.SocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RPC#waitForProxy}'s wait: tries a TCP connection to the server until one succeeds or the
 * deadline passes, pausing {@link ClientOptions#connectRetryInterval()} between attempts (as
 * Hadoop's loop sleeps between its attempts). Refused, timed-out and unroutable connections count
 * as "not up yet"; any other failure ends the wait at once.
 */
final class ServerWaiter {
  private static final Logger LOG = LoggerFactory.getLogger(RPC.class);

  private ServerWaiter() {}

  static void await(InetSocketAddress addr, SocketFactory factory, ClientOptions options,
      long timeoutMs) throws IOException {
    long start = System.nanoTime();
    long timeoutNanos = Duration.ofMillis(Math.max(0, timeoutMs)).toNanos(); // saturates
    long pauseMs = Math.max(1, options.connectRetryInterval().toMillis());
    while (true) {
      IOException last;
      try {
        long leftMs = Math.max(1, (timeoutNanos - (System.nanoTime() - start)) / 1_000_000);
        try (Socket socket = factory.createSocket()) {
          socket.connect(addr, (int) Math.min(Integer.MAX_VALUE,
              Math.min(options.connectTimeout().toMillis(), leftMs)));
        }
        return;
      } catch (ConnectException | SocketTimeoutException | NoRouteToHostException e) {
        LOG.info("Server at {} not available yet ({}), waiting", addr, e.getMessage());
        last = e;
      }
      long waited = System.nanoTime() - start;
      if (waited >= timeoutNanos) {
        throw (IOException) new ConnectException("Server at " + addr + " not available after "
            + Duration.ofNanos(waited).toMillis() + " ms: " + last).initCause(last);
      }
      try {
        Thread.sleep(Math.min(pauseMs, Math.max(1, (timeoutNanos - waited) / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw (IOException) new InterruptedIOException("interrupted waiting for the server at "
            + addr).initCause(last);
      }
    }
  }
}
