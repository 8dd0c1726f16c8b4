package io.tusk.rpc.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LatencyHistogramTest {
  @Test
  void bucketsAreContiguousAndOrderedOverTheWholeRange() {
    int previous = -1;
    for (long v = 0; v < 100_000; v++) {
      int bucket = LatencyHistogram.bucket(v);
      assertThat(bucket).isBetween(previous, previous + 1);
      assertThat(LatencyHistogram.highestInBucket(bucket)).isGreaterThanOrEqualTo(v);
      previous = bucket;
    }
    assertThat(LatencyHistogram.highestInBucket(LatencyHistogram.bucket(Long.MAX_VALUE)))
        .isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void smallValuesAreExact() {
    LatencyHistogram h = new LatencyHistogram();
    for (int v = 1; v <= 100; v++) {
      h.record(v);
    }
    assertThat(h.count()).isEqualTo(100);
    assertThat(h.percentile(50)).isEqualTo(50);
    assertThat(h.percentile(99)).isEqualTo(99);
    assertThat(h.percentile(100)).isEqualTo(100);
    assertThat(h.min()).isEqualTo(1);
    assertThat(h.max()).isEqualTo(100);
    assertThat(h.mean()).isCloseTo(50.5, within(1e-9));
  }

  @Test
  void largeValuesAreWithinTwoPercentAbove() {
    long[] values = new Random(7).longs(50_000, 1_000, 50_000_000_000L).toArray();
    LatencyHistogram h = new LatencyHistogram();
    for (long v : values) {
      h.record(v);
    }
    Arrays.sort(values);
    for (double p : new double[] {1, 50, 90, 99, 99.9, 100}) {
      long exact = values[(int) Math.ceil(p * values.length / 100) - 1];
      assertThat(h.percentile(p)).as("p%s", p).isBetween(exact, (long) (exact * 1.016) + 1);
    }
    assertThat(h.percentile(100)).isEqualTo(values[values.length - 1]);
  }

  @Test
  void percentileNeverExceedsTheLargestValueRecorded() {
    LatencyHistogram h = new LatencyHistogram();
    h.record(1_000_001);
    assertThat(h.percentile(50)).isEqualTo(1_000_001);
  }

  @Test
  void mergedHistogramsCountEveryValue() {
    LatencyHistogram a = new LatencyHistogram();
    LatencyHistogram b = new LatencyHistogram();
    for (int i = 0; i < 90; i++) {
      a.record(10);
    }
    for (int i = 0; i < 10; i++) {
      b.record(5_000);
    }
    a.add(b);
    assertThat(a.count()).isEqualTo(100);
    assertThat(a.percentile(90)).isEqualTo(10);
    assertThat(a.percentile(91)).isBetween(5_000L, 5_000L * 1016 / 1000);
    assertThat(a.min()).isEqualTo(10);
    assertThat(a.max()).isEqualTo(5_000);
  }

  @Test
  void emptyHistogramReportsZeros() {
    LatencyHistogram h = new LatencyHistogram();
    h.add(new LatencyHistogram());
    assertThat(h.percentile(99.9)).isZero();
    assertThat(h.min()).isZero();
    assertThat(h.max()).isZero();
    assertThat(h.mean()).isZero();
  }

  @Test
  void negativeValuesCountAsZero() {
    LatencyHistogram h = new LatencyHistogram();
    h.record(-5);
    assertThat(h.count()).isEqualTo(1);
    assertThat(h.max()).isZero();
  }

  @Test
  void rejectsPercentilesOutsideZeroToHundred() {
    LatencyHistogram h = new LatencyHistogram();
    assertThatThrownBy(() -> h.percentile(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> h.percentile(100.1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> h.percentile(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
