package io.tusk.rpc.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.server.Server;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.wire.RpcConstants;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.ipc.protobuf.RpcHeaderProtos.RpcResponseHeaderProto;
import org.apache.hadoop.net.NetUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client that opens with a wrong version, a wrong magic or an HTTP GET gets the same answer from
 * Tusk as from a real Hadoop 3.4.2 server, byte for byte, and both close; Hadoop's own header
 * parser reads Tusk's answer to a newer version as a version mismatch.
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class BadPreambleAnswersMatchHadoopServerTest {
  private EchoServersSideBySide servers;
  private HadoopEchoServer hadoop;
  private Server tusk;

  @BeforeEach
  void start() throws IOException {
    servers = new EchoServersSideBySide("tusk-preamble");
    hadoop = servers.hadoop();
    tusk = servers.tusk();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (servers != null) {
      servers.close();
    }
  }

  private static byte[] exchange(int port, byte[] opening) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(opening);
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      return in.readAllBytes();
    }
  }

  private byte[] fromHadoop(byte[] opening) throws IOException {
    return exchange(NetUtils.getConnectAddress(hadoop).getPort(), opening);
  }

  private byte[] fromTusk(byte[] opening) throws IOException {
    return exchange(tusk.getListenerAddress().getPort(), opening);
  }

  private static byte[] preamble(String magic, int version) {
    byte[] p = new byte[7];
    System.arraycopy(magic.getBytes(StandardCharsets.US_ASCII), 0, p, 0, 4);
    p[4] = (byte) version;
    return p;
  }

  @Test
  void newerVersionGetsTheSameFatalAnswerAsFromHadoop() throws IOException {
    byte[] opening = preamble("hrpc", 10);
    byte[] tuskAnswer = fromTusk(opening);

    assertThat(tuskAnswer).isEqualTo(fromHadoop(opening));
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(tuskAnswer));
    int length = in.readInt();
    assertThat(length).isEqualTo(tuskAnswer.length - 4);
    RpcResponseHeaderProto header = RpcResponseHeaderProto.parseDelimitedFrom(in);
    assertThat(header.getStatus()).isEqualTo(RpcResponseHeaderProto.RpcStatusProto.FATAL);
    assertThat(header.getErrorDetail())
        .isEqualTo(RpcResponseHeaderProto.RpcErrorCodeProto.FATAL_VERSION_MISMATCH);
    assertThat(header.getExceptionClassName()).isEqualTo("org.apache.hadoop.ipc.RPC$VersionMismatch");
    assertThat(header.getErrorMsg())
        .isEqualTo("Server IPC version 9 cannot communicate with client version 10");
  }

  @Test
  void olderVersionGetsTheSameAnswerAsFromHadoop() throws IOException {
    byte[] opening = preamble("hrpc", 7);

    assertThat(fromTusk(opening)).isEqualTo(fromHadoop(opening));
  }

  @Test
  void wrongMagicGetsTheSameAnswerAsFromHadoop() throws IOException {
    byte[] opening = preamble("hrpx", 9);

    assertThat(fromTusk(opening)).isEqualTo(fromHadoop(opening));
  }

  @Test
  void httpGetGetsHadoopsAnswerByteForByteAndBothClose() throws Exception {
    byte[] opening = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII);
    byte[] tuskAnswer = fromTusk(opening); // read to EOF: the server closed after answering
    byte[] hadoopAnswer = fromHadoop(opening);

    assertThat(tuskAnswer).isEqualTo(hadoopAnswer);
    assertThat(hadoopAnswer).isEqualTo(hadoopsHttpAnswerConstant());
    assertThat(RpcConstants.HTTP_NOT_FOUND_RESPONSE.getBytes(StandardCharsets.UTF_8))
        .isEqualTo(hadoopAnswer);
  }

  /** Hadoop's package-private {@code Server.RECEIVED_HTTP_REQ_RESPONSE}, in UTF-8 as it sends it. */
  private static byte[] hadoopsHttpAnswerConstant() throws ReflectiveOperationException {
    Field field = org.apache.hadoop.ipc.Server.class.getDeclaredField("RECEIVED_HTTP_REQ_RESPONSE");
    field.setAccessible(true);
    return ((String) field.get(null)).getBytes(StandardCharsets.UTF_8);
  }
}
