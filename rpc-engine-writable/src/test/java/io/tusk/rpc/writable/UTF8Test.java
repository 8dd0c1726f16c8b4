package io.tusk.rpc.writable;

import static io.tusk.rpc.writable.Bytes.fromHex;
import static io.tusk.rpc.writable.Bytes.hex;
import static io.tusk.rpc.writable.Bytes.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UTF8Test {

  private static byte[] encode(String s) {
    return Bytes.of(out -> UTF8.writeString(out, s));
  }

  private static String decode(byte[] bytes) throws IOException {
    return UTF8.readString(in(bytes));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a", "hello world", "h\u00e9llo", "\u20ac100", "nul\0inside",
      "\uD83D\uDE00 smile", "\u0000", "\u007f\u0080\u07ff\u0800\uffff", "mixed \u00e9\u4e2d\uD834\uDD1E"})
  void roundTripsStrings(String s) throws IOException {
    assertThat(decode(encode(s))).isEqualTo(s);
  }

  @Test
  void writesAsciiAsLengthAndBytes() {
    assertThat(hex(encode("hi"))).isEqualTo("0002" + "6869");
  }

  @Test
  void writesNulAsOneZeroByteUnlikeWriteUtf() {
    assertThat(hex(encode("a\0b"))).isEqualTo("0003" + "610062");
  }

  @Test
  void writesTwoAndThreeByteChars() {
    // U+00E9 -> c3 a9, U+20AC -> e2 82 ac
    assertThat(hex(encode("\u00e9\u20ac"))).isEqualTo("0005" + "c3a9" + "e282ac");
  }

  @Test
  void writesEachSurrogateOnItsOwnAsCesu8() {
    // U+1F600 = D83D DE00 -> ed a0 bd, ed b8 80 (six bytes, not the four of standard UTF-8)
    assertThat(hex(encode("\uD83D\uDE00"))).isEqualTo("0006" + "eda0bd" + "edb880");
  }

  @Test
  void keepsUnpairedSurrogates() throws IOException {
    String lone = "a\uD800b\uDC00";
    assertThat(hex(encode(lone))).isEqualTo("0008" + "61eda080" + "62edb080");
    assertThat(decode(encode(lone))).isEqualTo(lone);
  }

  @Test
  void readsFourByteStandardUtf8AsSurrogatePair() throws IOException {
    assertThat(decode(fromHex("0004 f09f9880"))).isEqualTo("\uD83D\uDE00");
  }

  @Test
  void returnsEncodedByteCount() throws IOException {
    java.io.DataOutputStream out = new java.io.DataOutputStream(new java.io.ByteArrayOutputStream());
    assertThat(UTF8.writeString(out, "\u00e9x")).isEqualTo(3);
    assertThat(out.size()).isEqualTo(5);
    assertThat(UTF8.encodedLength("\u00e9x\u20ac")).isEqualTo(6);
  }

  @Test
  void writesLongestUntruncatedStringWhole() throws IOException {
    String s = "\u20ac".repeat(UTF8.MAX_CHARS); // 21845 three-byte chars: 65535 bytes, the maximum
    byte[] bytes = encode(s);
    assertThat(bytes).hasSize(2 + 0xffff);
    assertThat(hex(bytes).substring(0, 4)).isEqualTo("ffff");
    assertThat(decode(bytes)).isEqualTo(s);
  }

  @Test
  void truncatesLongerStringsToTheirFirst21845Chars() throws IOException {
    String s = "abcdefghij".repeat(3000); // 30000 chars
    byte[] bytes = encode(s);
    assertThat(bytes).hasSize(2 + 21845);
    assertThat(decode(bytes)).isEqualTo(s.substring(0, 21845));
  }

  @Test
  void truncationCanSplitASurrogatePairAsHadoopDoes() throws IOException {
    StringBuilder s = new StringBuilder("x".repeat(21844)).append("\uD83D\uDE00").append("tail");
    String decoded = decode(encode(s.toString()));
    assertThat(decoded).hasSize(21845).endsWith("x\uD83D");
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> encode(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void failsWithEofWhenInputEndsInsideTheString() {
    assertThatThrownBy(() -> decode(fromHex("0005 6869"))).isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> decode(fromHex("00"))).isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> decode(new byte[0])).isInstanceOf(EOFException.class);
  }

  @Test
  void rejectsSequenceCutOffByTheEndOfTheString() {
    assertThatThrownBy(() -> decode(fromHex("0002 61c3")))
        .isInstanceOf(UTFDataFormatException.class).hasMessageContaining("Truncated UTF8");
    assertThatThrownBy(() -> decode(fromHex("0002 e282")))
        .isInstanceOf(UTFDataFormatException.class).hasMessageContaining("Truncated UTF8");
    assertThatThrownBy(() -> decode(fromHex("0003 f09f98")))
        .isInstanceOf(UTFDataFormatException.class).hasMessageContaining("Truncated UTF8");
  }

  @ParameterizedTest
  @ValueSource(strings = {"80", "bf", "f8", "ff"})
  void rejectsBytesThatStartNoSequence(String lead) {
    assertThatThrownBy(() -> decode(fromHex("0001" + lead)))
        .isInstanceOf(UTFDataFormatException.class)
        .hasMessageContaining("Invalid UTF8").hasMessageContaining("0x" + lead);
  }
}
