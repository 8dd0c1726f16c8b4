package io.tusk.rpc.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.proto.ConnectionContextProtos.IpcConnectionContextProto;
import io.tusk.rpc.proto.ConnectionContextProtos.UserInformationProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto;
import io.tusk.rpc.wire.FrameEncoder;
import io.tusk.rpc.wire.Preamble;
import io.tusk.rpc.wire.RpcConstants;
import io.tusk.rpc.wire.RpcHeaders;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * A scripted client on a blocking socket for server tests: sends exactly the bytes a test chooses
 * (good or hostile) and reads answers with a read timeout, so a test never hangs on a silent server.
 *
 * <p>Not thread-safe; one test thread drives it. Close it (try-with-resources).
 */
public final class RawRpcPeer implements AutoCloseable {
  /** Default read timeout. */
  public static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
  /** Responses larger than this are refused by {@link #readResponse()} (a broken server). */
  private static final int MAX_RESPONSE = 64 * 1024 * 1024;

  /** One response frame: the parsed header and the bytes after it. */
  public record Response(RpcResponseHeaderProto header, byte[] payload) {
    /** The payload as UTF-8 text. */
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;
  private final ByteString clientId;
  private final FrameEncoder encoder = new FrameEncoder();

  private RawRpcPeer(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = new DataInputStream(socket.getInputStream());
    UUID uuid = UUID.randomUUID();
    this.clientId = ByteString.copyFrom(ByteBuffer.allocate(16)
        .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).flip());
  }

  /** Connects with the default read timeout. */
  public static RawRpcPeer connect(InetSocketAddress address) throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(address, 5_000);
    socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
    return new RawRpcPeer(socket);
  }

  /**
   * Connects with a receive buffer of about {@code receiveBufferBytes} (set before connecting, so
   * the TCP window stays small): a peer whose unread responses fill up fast.
   */
  public static RawRpcPeer connectWithReceiveBuffer(InetSocketAddress address,
      int receiveBufferBytes) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(receiveBufferBytes);
    socket.setTcpNoDelay(true);
    socket.connect(address, 5_000);
    socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
    return new RawRpcPeer(socket);
  }

  /** Sends a ping (call id -4), as clients do while they wait. */
  public RawRpcPeer ping() throws IOException {
    return sendFrame(RpcHeaders.ping(clientId), null);
  }

  /** Connects, sends a valid preamble and a connection context for {@code user}. */
  public static RawRpcPeer handshake(InetSocketAddress address, String user) throws IOException {
    return connect(address).preamble().context(user, "test.EchoProtocol");
  }

  /** This peer's 16-byte client id. */
  public ByteString clientId() {
    return clientId;
  }

  /** Changes the read timeout. */
  public RawRpcPeer readTimeout(Duration timeout) throws SocketException {
    socket.setSoTimeout((int) timeout.toMillis());
    return this;
  }

  /** Sends the valid 7-byte preamble (version 9, simple auth). */
  public RawRpcPeer preamble() throws IOException {
    return sendRaw(Preamble.encode(RpcConstants.DEFAULT_SERVICE_CLASS));
  }

  /** Sends these bytes as they are, e.g. a broken preamble. */
  public RawRpcPeer sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Sends the connection context frame (call id -3) naming {@code user} and {@code protocol}. */
  public RawRpcPeer context(String user, String protocol) throws IOException {
    IpcConnectionContextProto.Builder context = IpcConnectionContextProto.newBuilder();
    if (user != null) {
      context.setUserInfo(UserInformationProto.newBuilder().setEffectiveUser(user));
    }
    if (protocol != null) {
      context.setProtocol(protocol);
    }
    IpcConnectionContextProto built = context.build();
    return sendFrame(RpcHeaders.connectionContext(clientId), built::writeDelimitedTo);
  }

  /** Sends one frame: {@code header} delimited, then {@code payload} (may be null). */
  public RawRpcPeer sendFrame(MessageLite header, RpcPayload payload) throws IOException {
    ByteBuffer frame = encoder.encode(header, payload);
    out.write(frame.array(), 0, frame.limit());
    out.flush();
    encoder.trim();
    return this;
  }

  /** Sends a frame whose body is exactly {@code body} (length prefix added). */
  public RawRpcPeer sendFrame(byte[] body) throws IOException {
    return sendLength(body.length).sendRaw(body);
  }

  /** Sends only a big-endian length prefix, e.g. to announce a huge or negative frame. */
  public RawRpcPeer sendLength(int length) throws IOException {
    return sendRaw(ByteBuffer.allocate(4).putInt(length).array());
  }

  /** Sends a well-formed call of {@code kind} with this peer's client id, not a retry. */
  public RawRpcPeer call(RpcKind kind, int callId, byte[] payload) throws IOException {
    return sendFrame(RpcHeaders.request(kind, callId, RpcConstants.INVALID_RETRY_COUNT, clientId),
        RpcPayload.ofBytes(payload));
  }

  /** Sends an RPC_BUILTIN call (the {@link EchoEngine}'s kind) carrying {@code text}. */
  public RawRpcPeer call(int callId, String text) throws IOException {
    return call(RpcKind.RPC_BUILTIN, callId, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads one response frame; fails on EOF or timeout. */
  public Response readResponse() throws IOException {
    int length = in.readInt();
    if (length < 0 || length > MAX_RESPONSE) {
      throw new IOException("response frame length " + length + " is not plausible");
    }
    byte[] body = new byte[length];
    in.readFully(body);
    ByteBuffer buffer = ByteBuffer.wrap(body);
    RpcResponseHeaderProto header = RpcHeaders.parseResponse(buffer);
    byte[] payload = new byte[buffer.remaining()];
    buffer.get(payload);
    return new Response(header, payload);
  }

  /** Sends {@code text} as call {@code callId} and returns the answer. */
  public Response roundTrip(int callId, String text) throws IOException {
    return call(callId, text).readResponse();
  }

  /** Reads everything until the server closes the connection; fails on timeout. */
  public byte[] readUntilEof() throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    try {
      int n;
      while ((n = in.read(chunk)) >= 0) {
        all.write(chunk, 0, n);
      }
    } catch (SocketException e) {
      // connection reset: the server closed with unread input; that is an end too
    }
    return all.toByteArray();
  }

  /**
   * True when the server closes the connection (EOF or reset) within the read timeout, discarding
   * whatever it sends first; false when it is still open at the timeout.
   */
  public boolean awaitClosed() throws IOException {
    try {
      readUntilEof();
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  /** True when the read side is at EOF right now or within the timeout; reads nothing else. */
  public boolean isAtEof() throws IOException {
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true;
    }
  }

  /** The raw input, for tests that parse answers themselves. */
  public InputStream input() {
    return in;
  }

  /** Reads exactly {@code n} bytes; fails on EOF or timeout. */
  public byte[] readExactly(int n) throws IOException {
    byte[] bytes = new byte[n];
    try {
      in.readFully(bytes);
    } catch (EOFException e) {
      throw new EOFException("EOF before " + n + " bytes");
    }
    return bytes;
  }

  /** The local address of this peer's socket. */
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
