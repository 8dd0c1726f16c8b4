package io.tusk.rpc.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PreambleTest {

  @Test
  void encodesHrpcVersionServiceClassAndAuth() {
    assertThat(Preamble.encode((byte) 3))
        .containsExactly('h', 'r', 'p', 'c', 9, 3, RpcConstants.AUTH_PROTOCOL_NONE);
  }

  @Test
  void roundTripOfAValidPreambleIsOk() {
    byte[] preamble = Preamble.encode(RpcConstants.DEFAULT_SERVICE_CLASS);
    assertThat(Preamble.check(preamble)).isEqualTo(Preamble.Verdict.OK);
    assertThat(Preamble.version(preamble)).isEqualTo(9);
    assertThat(Preamble.serviceClass(preamble)).isEqualTo((byte) 0);
  }

  @Test
  void judgesEveryKindOfWrongPreamble() {
    assertThat(Preamble.check(Preamble.encode((byte) 10, (byte) 0, (byte) 0)))
        .isEqualTo(Preamble.Verdict.BAD_VERSION);
    assertThat(Preamble.check(new byte[] {'h', 'r', 'p', 'x', 9, 0, 0}))
        .isEqualTo(Preamble.Verdict.BAD_MAGIC);
    assertThat(Preamble.check(Preamble.encode((byte) 9, (byte) 0,
        RpcConstants.AUTH_PROTOCOL_SASL))).isEqualTo(Preamble.Verdict.SASL_NOT_SUPPORTED);
    assertThat(Preamble.check(Preamble.encode((byte) 9, (byte) 0, (byte) 5)))
        .isEqualTo(Preamble.Verdict.UNKNOWN_AUTH_PROTOCOL);
    assertThat(Preamble.check("GET / H".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo(Preamble.Verdict.HTTP_GET);
  }

  @Test
  void recognisesHttpFromFourBytes() {
    byte[] get = "GET ".getBytes(StandardCharsets.US_ASCII);
    assertThat(Preamble.looksLikeHttp(get, 4)).isTrue();
    assertThat(Preamble.looksLikeHttp(get, 3)).isFalse();
    assertThat(Preamble.looksLikeHttp("POST".getBytes(StandardCharsets.US_ASCII), 4)).isFalse();
  }

  @Test
  void truncatedPreambleIsRejected() {
    assertThatThrownBy(() -> Preamble.check(new byte[] {'h', 'r', 'p', 'c', 9}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
