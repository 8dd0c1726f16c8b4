package io.tusk.rpc.internal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.tusk.rpc.internal.server.Answers.PreambleRefusal;
import io.tusk.rpc.internal.server.RequestHeaderCheck.Fatal;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.wire.Preamble;
import io.tusk.rpc.wire.HadoopNames;
import io.tusk.rpc.wire.RpcConstants;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The answer to each refused preamble (facts doc sections a and b), as a value: which FATAL, raw
 * bytes or silent close, and the log reason. ServerHostileInputTest checks the same answers on
 * the wire.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AnswersTest {
  private static PreambleRefusal refuse(byte[] preamble) {
    return Answers.refusePreamble(Preamble.check(preamble), preamble);
  }

  private static byte[] version(int v) {
    return Preamble.encode((byte) v, RpcConstants.DEFAULT_SERVICE_CLASS,
        RpcConstants.AUTH_PROTOCOL_NONE);
  }

  @Test
  void newerVersionGetsAFramedVersionMismatch() {
    PreambleRefusal refusal = refuse(version(10));
    assertThat(refusal.fatal()).isEqualTo(new Fatal(RpcConstants.UNKNOWN_CALL_ID,
        RpcConstants.INVALID_RETRY_COUNT, ByteString.EMPTY, HadoopNames.VERSION_MISMATCH,
        "Server IPC version 9 cannot communicate with client version 10",
        RpcErrorCodeProto.FATAL_VERSION_MISMATCH));
    assertThat(refusal.raw()).isNull();
    assertThat(refusal.logReason()).isEqualTo("IPC version 10 is not supported");
  }

  @Test
  void preProtobufVersionGetsTheOldLayout() {
    PreambleRefusal refusal = refuse(version(7));
    assertThat(refusal.fatal()).isNull();
    assertThat(refusal.raw()).isEqualTo(Answers.oldVersionFatal(
        HadoopNames.VERSION_MISMATCH,
        "Server IPC version 9 cannot communicate with client version 7"));
    assertThat(refusal.logReason())
        .isEqualTo("IPC version 7 is not supported (answered with the pre-v9 version mismatch)");
  }

  @Test
  void ancientVersionIsClosedWithoutAnswer() {
    PreambleRefusal refusal = refuse(version(2));
    assertThat(refusal.fatal()).isNull();
    assertThat(refusal.raw()).isNull();
    assertThat(refusal.logReason()).isEqualTo("IPC version 2 is not supported");
  }

  @Test
  void wrongMagicIsAnsweredByTheVersionByte() {
    byte[] preamble = version(9);
    preamble[0] = 'x';
    PreambleRefusal refusal = refuse(preamble);
    assertThat(refusal.fatal().code()).isEqualTo(RpcErrorCodeProto.FATAL_VERSION_MISMATCH);
    assertThat(refusal.logReason()).isEqualTo("wrong magic 78727063");
  }

  @Test
  void saslAndUnknownAuthAreUnauthorized() {
    PreambleRefusal sasl = refuse(Preamble.encode(RpcConstants.CURRENT_VERSION,
        RpcConstants.DEFAULT_SERVICE_CLASS, RpcConstants.AUTH_PROTOCOL_SASL));
    assertThat(sasl.fatal()).isEqualTo(RequestHeaderCheck.saslRefusal(RpcConstants.SASL_CALL_ID));
    PreambleRefusal unknown = refuse(Preamble.encode(RpcConstants.CURRENT_VERSION,
        RpcConstants.DEFAULT_SERVICE_CLASS, (byte) 5));
    assertThat(unknown.fatal()).isEqualTo(new Fatal(RpcConstants.SASL_CALL_ID,
        RpcConstants.INVALID_RETRY_COUNT, ByteString.EMPTY, HadoopNames.IPC_EXCEPTION,
        "Unknown auth protocol:5", RpcErrorCodeProto.FATAL_UNAUTHORIZED));
  }

  @Test
  void httpGetGets404() {
    PreambleRefusal refusal = refuse("GET / H".getBytes(StandardCharsets.US_ASCII));
    assertThat(refusal.raw()).isEqualTo(Answers.httpNotFound());
    assertThat(refusal.fatal()).isNull();
  }

  @Test
  void okIsNotARefusal() {
    assertThatThrownBy(() -> Answers.refusePreamble(Preamble.Verdict.OK, version(9)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
