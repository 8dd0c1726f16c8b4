package io.tusk.rpc.writable;

import static io.tusk.rpc.writable.Bytes.fromHex;
import static io.tusk.rpc.writable.Bytes.hex;
import static io.tusk.rpc.writable.Bytes.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TextTest {

  private static Text roundTrip(Text text) throws IOException {
    Text read = new Text("previous contents");
    read.readFields(in(Bytes.of(text::write)));
    return read;
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a", "h\u00e9llo", "nul\0inside", "\uD83D\uDE00\uD834\uDD1E", "\u4e2d\u6587"})
  void roundTripsStrings(String s) throws IOException {
    Text read = roundTrip(new Text(s));
    assertThat(read.toString()).isEqualTo(s);
    assertThat(read).isEqualTo(new Text(s)).hasSameHashCodeAs(new Text(s));
    assertThat(Text.readString(in(Bytes.of(out -> Text.writeString(out, s))))).isEqualTo(s);
  }

  @Test
  void writesVIntLengthAndStandardUtf8() {
    // "hi" + U+1F600 as standard four-byte UTF-8, length 6
    assertThat(hex(Bytes.of(new Text("hi\uD83D\uDE00")::write))).isEqualTo("06" + "6869" + "f09f9880");
    assertThat(hex(Bytes.of(new Text()::write))).isEqualTo("00");
    assertThat(hex(Bytes.of(out -> Text.writeString(out, "a\0")))).isEqualTo("02" + "6100");
  }

  @Test
  void usesMultiByteVIntForLongText() throws IOException {
    byte[] bytes = Bytes.of(new Text("x".repeat(200))::write);
    assertThat(hex(bytes).substring(0, 4)).isEqualTo("8fc8"); // 200 = one magnitude byte c8
    assertThat(bytes).hasSize(202);
    assertThat(roundTrip(new Text("y".repeat(100_000))).getLength()).isEqualTo(100_000);
  }

  @Test
  void replacesUnpairedSurrogateWithQuestionMarkLikeHadoop() {
    assertThat(hex(Bytes.of(out -> Text.writeString(out, "a\uD800b\uDC00")))).isEqualTo("04613f623f");
  }

  @Test
  void decodesMalformedBytesAsReplacementCharacterButKeepsTheBytes() throws IOException {
    Text text = new Text();
    text.readFields(in(fromHex("03 c328ff")));
    assertThat(text.toString()).isEqualTo("\ufffd(\ufffd");
    assertThat(text.getBytes()).isEqualTo(fromHex("c328ff"));
  }

  @Test
  void comparesBytesUnsigned() {
    assertThat(new Text("a").compareTo(new Text("b"))).isNegative();
    assertThat(new Text("\u00e9").compareTo(new Text("z"))).isPositive();
    assertThat(new Text("ab").compareTo(new Text("a"))).isPositive();
  }

  @Test
  void setBytesAndGetBytesCopy() {
    byte[] utf8 = {0x68, 0x69};
    Text text = new Text();
    text.setBytes(utf8);
    utf8[0] = 0;
    assertThat(text.toString()).isEqualTo("hi");
    text.getBytes()[0] = 0;
    assertThat(text.toString()).isEqualTo("hi");
  }

  @Test
  void rejectsNegativeLength() {
    assertThatThrownBy(() -> new Text().readFields(in(fromHex("ff"))))
        .isInstanceOf(IOException.class).hasMessageContaining("negative");
  }

  @Test
  void failsWithEofWhenInputEndsInsideTheText() {
    assertThatThrownBy(() -> new Text().readFields(in(fromHex("05 6869"))))
        .isInstanceOf(EOFException.class);
    // A huge announced length with little data fails by EOF, not by allocating 2 GB.
    assertThatThrownBy(() -> new Text().readFields(in(fromHex("8c7fffffff 6869"))))
        .isInstanceOf(EOFException.class);
  }
}
