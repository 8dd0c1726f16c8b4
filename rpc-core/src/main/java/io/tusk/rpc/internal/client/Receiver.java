package io.tusk.rpc.internal.client;

import com.google.protobuf.ByteString;
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
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of a connection's receiver thread: reads response frames and completes calls by id.
 *
 * <p>This thread alone owns the socket's input stream, the {@link FrameDecoder} and the read
 * buffer. It blocks in the socket read and nowhere else (no read timeout: pings, deadlines and
 * idle close belong to the client's timer, which only reads the arrival stamp this thread leaves
 * on the connection). It ends when the connection closes (the socket is closed under it) or closes
 * the connection itself on EOF, a bad frame or a FATAL answer.
 */
final class Receiver implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Receiver.class);

  private static final int READ_BUFFER = 64 * 1024;

  private final Connection connection;
  private final Socket socket;
  private final int maxResponseLength;
  private final ByteString clientId;

  Receiver(Connection connection, Socket socket, ClientOptions options, ByteString clientId) {
    this.connection = connection;
    this.socket = socket;
    this.maxResponseLength = options.maxResponseLength();
    this.clientId = clientId;
  }

  @Override
  public void run() {
    FrameDecoder decoder = new FrameDecoder(maxResponseLength, null);
    byte[] buffer = new byte[READ_BUFFER];
    ByteBuffer view = ByteBuffer.wrap(buffer);
    try {
      InputStream in = socket.getInputStream();
      while (connection.isOpen()) {
        int n = in.read(buffer);
        if (n < 0) {
          connection.closeResending("the server closed the connection",
              new EOFException("end of stream from " + connection.address()));
          return;
        }
        connection.received();
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
      connection.closeResending(e.getMessage() != null ? e.getMessage() : e.toString(), e);
    } catch (RuntimeException | Error e) {
      LOG.warn("Receiver for {} failed unexpectedly", connection.address(), e);
      connection.close("receiver failed: " + e, e);
    } finally {
      decoder.release();
      connection.receiverEnded();
    }
  }

  private void onFrame(ByteBuffer body, int chargedBytes) throws IOException {
    RpcResponseHeaderProto header;
    try {
      header = RpcHeaders.parseResponse(body);
    } catch (IOException e) {
      throw new IOException("malformed response header from " + connection.address() + ": "
          + e.getMessage(), e);
    }
    checkClientId(header);
    int callId = header.getCallId();
    switch (header.getStatus()) {
      case SUCCESS -> {
        PendingCall call = connection.take(callId);
        if (call == null) {
          dropped(callId);
        } else {
          call.succeed(body.slice());
        }
      }
      case ERROR -> {
        PendingCall call = connection.take(callId);
        if (call == null) {
          dropped(callId);
        } else {
          call.fail(remoteException(header));
        }
      }
      case FATAL -> connection.fatal(callId, () -> remoteException(header));
      default -> throw new IOException("unknown response status " + header.getStatus()
          + " from " + connection.address());
    }
  }

  /**
   * As Hadoop's client checks: a response carrying another client's id means crossed wires (or a
   * broken server), and the connection closes. An absent or empty id is accepted (Hadoop's
   * server sends an empty one in some FATAL answers).
   */
  private void checkClientId(RpcResponseHeaderProto header) throws IOException {
    if (header.hasClientId() && !header.getClientId().isEmpty()
        && !header.getClientId().equals(clientId)) {
      HexFormat hex = HexFormat.of();
      throw new IOException("Client IDs not matched in a response from " + connection.address()
          + ": local ID=" + hex.formatHex(clientId.toByteArray()) + ", ID in response="
          + hex.formatHex(header.getClientId().toByteArray()));
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
