package io.tusk.rpc.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.tusk.rpc.proto.ConnectionContextProtos.IpcConnectionContextProto;
import io.tusk.rpc.proto.ConnectionContextProtos.UserInformationProto;
import io.tusk.rpc.server.Server;
import io.tusk.rpc.testing.LeakCheck;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.apache.hadoop.ipc.protobuf.RpcHeaderProtos.RpcResponseHeaderProto;
import org.apache.hadoop.net.NetUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request-header check table, side by side: the same raw frames (after a good preamble, and
 * after the connection context where the row says so) go to a real Hadoop 3.4.2 server and to
 * Tusk's, and everything each server writes until it closes the connection must be the same bytes.
 * Rows whose frame gets no answer (pings) are followed by an unknown out-of-band call, so both
 * servers must answer that one and close; a server that kept the connection open without
 * answering fails the row on the read timeout.
 *
 * <p>Not here, because Hadoop's answer depends on how its server was built: "Unknown rpc kind in
 * rpc header" (Hadoop only sends it with a null parameter class; {@link HadoopEchoServer} decodes
 * every kind). {@code RequestHeaderCheckTest} in rpc-core covers it.
 */
@Timeout(120)
@ExtendWith(LeakCheck.class)
class RequestHeaderAnswersMatchHadoopServerTest {
  private static final ByteString CLIENT = ByteString.copyFrom(new byte[] {
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
  private static final long BUILTIN = 0;
  private static final long PROTOBUF = 2;
  private static final long FINAL = 0;
  private static final long CONTINUATION = 1;
  private static final long CLOSE = 2;

  private EchoServersSideBySide servers;
  private HadoopEchoServer hadoop;
  private Server tusk;

  @BeforeEach
  void start() throws IOException {
    servers = new EchoServersSideBySide("tusk-headers");
    hadoop = servers.hadoop();
    tusk = servers.tusk();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (servers != null) {
      servers.close();
    }
  }

  /** One raw request header; {@code null} leaves a field out. */
  private record Header(Long kind, Long op, Integer callId, ByteString clientId, Integer retry) {
    static Header call(int callId) {
      return new Header(BUILTIN, FINAL, callId, CLIENT, 0);
    }

    Header kind(Long value) {
      return new Header(value, op, callId, clientId, retry);
    }

    Header op(Long value) {
      return new Header(kind, value, callId, clientId, retry);
    }

    Header retry(Integer value) {
      return new Header(kind, op, callId, clientId, value);
    }

    Header noCallId() {
      return new Header(kind, op, null, clientId, retry);
    }

    Header noClientId() {
      return new Header(kind, op, callId, null, retry);
    }

    /** The varint-delimited header. */
    byte[] delimited() {
      try {
        ByteArrayOutputStream fields = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(fields);
        if (kind != null) {
          out.writeUInt64(1, kind);
        }
        if (op != null) {
          out.writeUInt64(2, op);
        }
        if (callId != null) {
          out.writeSInt32(3, callId);
        }
        if (clientId != null) {
          out.writeBytes(4, clientId);
        }
        if (retry != null) {
          out.writeSInt32(5, retry);
        }
        out.flush();
        ByteArrayOutputStream delimited = new ByteArrayOutputStream();
        CodedOutputStream d = CodedOutputStream.newInstance(delimited);
        d.writeUInt32NoTag(fields.size());
        d.writeRawBytes(fields.toByteArray());
        d.flush();
        return delimited.toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The header alone as a frame. */
    byte[] frame() {
      return RequestHeaderAnswersMatchHadoopServerTest.frame(delimited());
    }
  }

  private static byte[] frame(byte[]... parts) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      int length = 0;
      for (byte[] part : parts) {
        length += part.length;
      }
      out.writeInt(length);
      for (byte[] part : parts) {
        out.write(part);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      bytes.writeBytes(part);
    }
    return bytes.toByteArray();
  }

  private static final byte[] PREAMBLE = {'h', 'r', 'p', 'c', 9, 0, 0};

  /** The connection context frame Hadoop's client sends (user "tester", no protocol). */
  private static byte[] contextFrame() {
    IpcConnectionContextProto context = IpcConnectionContextProto.newBuilder()
        .setUserInfo(UserInformationProto.newBuilder().setEffectiveUser("tester")).build();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try {
      context.writeDelimitedTo(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return frame(new Header(PROTOBUF, FINAL, -3, CLIENT, -1).delimited(), body.toByteArray());
  }

  /** A frame both servers answer FATAL "Unknown out of band call #-7" and then close. */
  private static final byte[] MARKER = Header.call(-7).frame();

  private static Arguments row(String name, boolean afterContext, byte[] frames) {
    byte[] opening = afterContext ? concat(PREAMBLE, contextFrame(), frames)
        : concat(PREAMBLE, frames);
    return Arguments.of(Named.of(name, opening));
  }

  static Stream<Arguments> rows() {
    boolean before = false;
    boolean after = true;
    return Stream.of(
        // ---- before the connection context ----
        row("call before the context", before, Header.call(0).retry(3).frame()),
        row("ping before the context is not answered", before,
            concat(Header.call(-4).frame(), MARKER)),
        row("ping without rpcKind before the context", before,
            Header.call(-4).kind(null).frame()),
        row("SASL frame after a NONE preamble", before, Header.call(-33).retry(-1).frame()),
        row("unknown out-of-band id before the context", before, MARKER),
        row("context with rpcOp CLOSE_CONNECTION", before,
            Header.call(-3).kind(PROTOBUF).op(CLOSE).frame()),
        row("context without rpcKind", before, Header.call(-3).kind(null).frame()),
        row("context without rpcOp", before, Header.call(-3).kind(PROTOBUF).op(null).frame()),
        row("context body missing", before, Header.call(-3).kind(PROTOBUF).retry(-1).frame()),
        row("context body cut short", before, frame(Header.call(-3).kind(PROTOBUF).delimited(),
            new byte[] {9, 0x12, 7, 0x0a})),
        row("zero-length frame before the context", before, frame()),

        // ---- after it ----
        row("rpcOp absent", after, Header.call(5).op(null).retry(2).frame()),
        row("rpcOp CONTINUATION", after, Header.call(5).op(CONTINUATION).frame()),
        row("rpcOp CLOSE_CONNECTION", after, Header.call(5).op(CLOSE).frame()),
        row("rpcOp unknown number", after, Header.call(5).op(9L).frame()),
        row("rpcOp judged before rpcKind", after, Header.call(5).op(CLOSE).kind(null).frame()),
        row("rpcOp judged before the call id", after, Header.call(-7).op(CLOSE).frame()),
        row("rpcKind absent", after, Header.call(5).kind(null).retry(2).frame()),
        row("rpcKind unknown number", after, Header.call(5).kind(7L).frame()),
        row("second connection context", after, contextFrame()),
        row("ping after the context is not answered", after,
            concat(Header.call(-4).frame(), Header.call(-4).kind(PROTOBUF).frame(), MARKER)),
        row("ping of an unknown kind", after, Header.call(-4).kind(7L).frame()),
        row("SASL frame after the context", after, Header.call(-33).frame()),
        row("unknown out-of-band id", after, MARKER),
        row("call id -1", after, Header.call(-1).frame()),
        row("call id -2", after, Header.call(-2).retry(4).frame()),
        row("call id Integer.MIN_VALUE", after, Header.call(Integer.MIN_VALUE).frame()),
        row("call id absent", after, Header.call(5).noCallId().frame()),
        row("client id absent", after, Header.call(5).noClientId().frame()),
        row("empty header", after, frame(new byte[] {0})),
        row("zero-length frame", after, frame()),
        row("header longer than its frame", after, frame(new byte[] {20, 8, 1})),
        row("negative header length", after, frame(new byte[] {-1, -1, -1, -1, 15, 8, 0})),
        row("malformed varint length", after,
            frame(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1})),
        row("a zero tag in the header", after, frame(new byte[] {2, 0, 0})),
        row("a bad wire type in the header", after, frame(new byte[] {2, 0x0f, 0})),
        row("frames after a FATAL are not processed", after,
            concat(Header.call(5).op(CLOSE).frame(), Header.call(6).frame(), MARKER)));
  }

  private static byte[] exchange(int port, byte[] opening) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      s.setSoTimeout(15_000); // a server that does not close fails the row here
      s.getOutputStream().write(opening);
      s.getOutputStream().flush();
      return s.getInputStream().readAllBytes();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void tuskAnswersTheseBytesAsHadoopDoesAndCloses(byte[] opening) throws IOException {
    byte[] fromHadoop = exchange(NetUtils.getConnectAddress(hadoop).getPort(), opening);
    byte[] fromTusk = exchange(tusk.getListenerAddress().getPort(), opening);

    DataInputStream in = new DataInputStream(new ByteArrayInputStream(fromHadoop));
    assertThat(in.readInt()).as("one framed answer from Hadoop").isEqualTo(fromHadoop.length - 4);
    RpcResponseHeaderProto header = RpcResponseHeaderProto.parseDelimitedFrom(in);
    assertThat(header.getStatus()).isEqualTo(RpcResponseHeaderProto.RpcStatusProto.FATAL);
    assertThat(new String(fromTusk, StandardCharsets.ISO_8859_1))
        .as("Tusk's answer, Hadoop's: %s", header.getErrorMsg())
        .isEqualTo(new String(fromHadoop, StandardCharsets.ISO_8859_1));
  }
}
