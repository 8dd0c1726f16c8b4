package io.tusk.rpc.writable;

import static io.tusk.rpc.writable.Bytes.fromHex;
import static io.tusk.rpc.writable.Bytes.hex;
import static io.tusk.rpc.writable.Bytes.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WritableUtilsTest {

  /** Expected bytes worked out by hand from the layout (and matching Hadoop 3.4.2's output). */
  @ParameterizedTest
  @CsvSource({
      "0, 00",
      "1, 01",
      "-1, ff",
      "127, 7f",
      "-112, 90",
      "128, 8f80",
      "-113, 8770",
      "255, 8fff",
      "256, 8e0100",
      "-256, 87ff",
      "-257, 860100",
      "65535, 8effff",
      "65536, 8d010000",
      "2147483647, 8c7fffffff",
      "-2147483648, 847fffffff",
      "2147483648, 8c80000000",
      "1099511627776, 8a010000000000",
      "-1099511627776, 83ffffffffff",
      "9223372036854775807, 887fffffffffffffff",
      "-9223372036854775808, 807fffffffffffffff"})
  void encodesVLongsAtTheBoundaries(long value, String expectedHex) throws IOException {
    byte[] bytes = Bytes.of(out -> WritableUtils.writeVLong(out, value));
    assertThat(hex(bytes)).isEqualTo(expectedHex);
    assertThat(WritableUtils.getVIntSize(value)).isEqualTo(bytes.length);
    assertThat(WritableUtils.decodeVIntSize(bytes[0])).isEqualTo(bytes.length);
    assertThat(WritableUtils.isNegativeVInt(bytes[0])).isEqualTo(value < 0);
    assertThat(WritableUtils.readVLong(in(bytes))).isEqualTo(value);
  }

  @ParameterizedTest
  @CsvSource({"0", "-112", "127", "128", "-113", "2147483647", "-2147483648"})
  void vIntIsTheSameEncodingAsVLong(int value) throws IOException {
    byte[] asInt = Bytes.of(out -> WritableUtils.writeVInt(out, value));
    assertThat(asInt).isEqualTo(Bytes.of(out -> WritableUtils.writeVLong(out, value)));
    assertThat(WritableUtils.readVInt(in(asInt))).isEqualTo(value);
  }

  @Test
  void roundTripsRandomValuesOfEveryMagnitude() throws IOException {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 10_000; i++) {
      long value = random.nextLong() >> random.nextInt(64);
      byte[] bytes = Bytes.of(out -> WritableUtils.writeVLong(out, value));
      assertThat(WritableUtils.readVLong(in(bytes))).isEqualTo(value);
      assertThat(bytes).hasSize(WritableUtils.getVIntSize(value));
    }
  }

  @Test
  void rejectsVIntThatDoesNotFitAnInt() {
    assertThatThrownBy(() -> WritableUtils.readVInt(in(fromHex("8c80000000"))))
        .isInstanceOf(IOException.class).hasMessageContaining("2147483648");
  }

  @Test
  void failsWithEofWhenInputEndsInsideTheValue() {
    assertThatThrownBy(() -> WritableUtils.readVLong(in(fromHex("8d0100"))))
        .isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> WritableUtils.readVLong(in(new byte[0])))
        .isInstanceOf(EOFException.class);
  }
}
