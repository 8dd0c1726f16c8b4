package io.tusk.rpc.internal.client;

import io.tusk.rpc.RemoteException;
import io.tusk.rpc.client.ClientOptions;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto;
import io.tusk.rpc.wire.FrameDecoder;
import io.tusk.rpc.wire.FrameLengthException;
import io.tusk.rpc.wire.RpcHeaders;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of a connection's receiver thread: reads response frames and completes calls by id,
 * pings while calls wait and nothing arrives, closes the connection when it has been idle.
 *
 * <p>This thread alone owns the socket's input stream, the {@link FrameDecoder}, the read buffer
 * and the two clocks (last bytes received, last ping). It never blocks on anything but the
 * socket read, whose timeout ({@code SO_TIMEOUT}) is set before each read to the next ping or
 * idle deadline. It ends when the connection closes (the socket is closed under it) or closes
 * the connection itself on EOF, a bad frame, a FATAL answer or idleness.
 */
final class Receiver implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Receiver.class);

  private static final int READ_BUFFER = 64 * 1024;

  private final Connection connection;
  private final Socket socket;
  private final boolean pingEnabled;
  private final long pingNanos;
  private final long idleNanos;
  private final int maxResponseLength;

  /** Last time bytes arrived or a ping went out. Receiver thread only. */
  private long lastActivity;

  Receiver(Connection connection, Socket socket, ClientOptions options) {
    this.connection = connection;
    this.socket = socket;
    this.pingEnabled = options.pingEnabled();
    this.pingNanos = options.pingInterval().toNanos();
    this.idleNanos = options.maxIdleTime().toNanos();
    this.maxResponseLength = options.maxResponseLength();
  }

  @Override
  public void run() {
    FrameDecoder decoder = new FrameDecoder(maxResponseLength, null);
    byte[] buffer = new byte[READ_BUFFER];
    ByteBuffer view = ByteBuffer.wrap(buffer);
    lastActivity = System.nanoTime();
    try {
      InputStream in = socket.getInputStream();
      while (connection.isOpen()) {
        long wait = housekeeping();
        if (wait < 0) {
          return; // closed for idleness
        }
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE,
            TimeUnit.NANOSECONDS.toMillis(wait + 999_999))));
        int n;
        try {
          n = in.read(buffer);
        } catch (SocketTimeoutException e) {
          continue;
        }
        if (n < 0) {
          connection.close("the server closed the connection",
              new EOFException("end of stream from " + connection.address()));
          return;
        }
        lastActivity = System.nanoTime();
        view.clear().limit(n);
        decoder.feed(view, this::onFrame);
      }
    } catch (FrameLengthException e) {
      connection.close("response of " + e.announced() + " bytes exceeds the maximum response"
          + " length of " + e.maximum() + " bytes (ipc.maximum.response.length)", e);
    } catch (IOException e) {
      if (connection.isOpen()) {
        LOG.debug("Receiving from {} failed: {}", connection.address(), e.toString());
      }
      connection.close(e.getMessage() != null ? e.getMessage() : e.toString(), e);
    } catch (RuntimeException | Error e) {
      LOG.warn("Receiver for {} failed unexpectedly", connection.address(), e);
      connection.close("receiver failed: " + e, e);
    } finally {
      decoder.release();
      connection.receiverEnded();
    }
  }

  /**
   * Pings when calls wait and nothing arrived for a ping interval; closes an idle connection.
   *
   * @return nanoseconds until the next check, or -1 when the connection was closed for idleness
   */
  private long housekeeping() {
    long now = System.nanoTime();
    if (connection.pendingCount() > 0) {
      if (!pingEnabled) {
        return pingNanos;
      }
      if (now - lastActivity >= pingNanos) {
        LOG.debug("Pinging {} ({} call(s) pending)", connection.address(),
            connection.pendingCount());
        connection.sendPing();
        lastActivity = now;
      }
      return lastActivity + pingNanos - now;
    }
    long idle = now - lastActivity;
    if (idle >= idleNanos
        && connection.closeIfIdle(TimeUnit.NANOSECONDS.toMillis(idle))) {
      return -1;
    }
    // Wake at least every ping interval so a call that arrives meanwhile gets pinged in time.
    return Math.max(0, Math.min(lastActivity + idleNanos - now, pingNanos));
  }

  private void onFrame(ByteBuffer body, int chargedBytes) throws IOException {
    RpcResponseHeaderProto header;
    try {
      header = RpcHeaders.parseResponse(body);
    } catch (IOException e) {
      throw new IOException("malformed response header from " + connection.address() + ": "
          + e.getMessage(), e);
    }
    int callId = header.getCallId();
    switch (header.getStatus()) {
      case SUCCESS -> {
        PendingCall call = connection.take(callId);
        if (call == null) {
          dropped(callId);
        } else {
          call.complete(body.slice());
        }
      }
      case ERROR -> {
        PendingCall call = connection.take(callId);
        if (call == null) {
          dropped(callId);
        } else {
          call.completeExceptionally(remoteException(header));
        }
      }
      case FATAL -> connection.fatal(callId, () -> remoteException(header));
      default -> throw new IOException("unknown response status " + header.getStatus()
          + " from " + connection.address());
    }
  }

  private void dropped(int callId) {
    LOG.debug("Dropped response from {} for call #{}: no such call pending (timed out?)",
        connection.address(), callId);
  }

  private static RemoteException remoteException(RpcResponseHeaderProto header) {
    return new RemoteException(header.getExceptionClassName(),
        header.hasErrorMsg() ? header.getErrorMsg() : null,
        header.hasErrorDetail() ? header.getErrorDetail() : null);
  }
}
