package io.tusk.rpc.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FrameDecoderTest {
  private static final int MAX = 1 << 20;

  /** Collects frames and releases their charge like the server does when a call completes. */
  private static final class Collector implements FrameDecoder.FrameSink {
    final List<byte[]> frames = new ArrayList<>();
    final ByteBudget budget;
    long charged;

    Collector(ByteBudget budget) {
      this.budget = budget;
    }

    @Override
    public void onFrame(ByteBuffer body, int chargedBytes) {
      byte[] copy = new byte[body.remaining()];
      body.get(copy);
      frames.add(copy);
      charged += chargedBytes;
      if (budget != null) {
        budget.release(chargedBytes);
      }
    }
  }

  private static byte[] frames(byte[]... bodies) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] body : bodies) {
      out.writeBytes(ByteBuffer.allocate(4).putInt(body.length).array());
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  private static byte[] body(int size, int seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static final byte[][] BODIES = {body(10, 1), body(0, 2), body(5000, 3), body(1, 4),
      body(70_000, 5)};

  private static void assertBodies(List<byte[]> frames) {
    assertThat(frames).hasSize(BODIES.length);
    for (int i = 0; i < BODIES.length; i++) {
      assertThat(frames.get(i)).isEqualTo(BODIES[i]);
    }
  }

  @Test
  void decodesCoalescedFramesFedAllAtOnce() throws IOException {
    ByteBudget budget = new ByteBudget(10 * MAX);
    Collector sink = new Collector(budget);
    FrameDecoder decoder = new FrameDecoder(MAX, budget);
    decoder.feed(ByteBuffer.wrap(frames(BODIES)), sink);
    assertBodies(sink.frames);
    assertThat(decoder.hasPartialFrame()).isFalse();
    assertThat(budget.used()).isZero();
  }

  @Test
  void decodesBytesFedOneAtATime() throws IOException {
    ByteBudget budget = new ByteBudget(10 * MAX);
    Collector sink = new Collector(budget);
    FrameDecoder decoder = new FrameDecoder(MAX, budget);
    for (byte b : frames(BODIES)) {
      decoder.feed(ByteBuffer.wrap(new byte[] {b}), sink);
    }
    assertBodies(sink.frames);
    assertThat(budget.used()).isZero();
  }

  @Test
  void decodesRandomSplits() throws IOException {
    byte[] all = frames(BODIES);
    Random random = new Random(42);
    for (int round = 0; round < 50; round++) {
      ByteBudget budget = new ByteBudget(10 * MAX);
      Collector sink = new Collector(budget);
      FrameDecoder decoder = new FrameDecoder(MAX, budget);
      int pos = 0;
      while (pos < all.length) {
        int n = Math.min(all.length - pos, random.nextInt(9000));
        decoder.feed(ByteBuffer.wrap(all, pos, n), sink);
        pos += n;
      }
      assertBodies(sink.frames);
      assertThat(budget.used()).isZero();
    }
  }

  @Test
  void lengthEndingAReadIsFineWhenTheBodyFollowsLater() throws IOException {
    Collector sink = new Collector(null);
    FrameDecoder decoder = new FrameDecoder(MAX, null);
    decoder.feed(ByteBuffer.wrap(new byte[] {0, 0, 0, 3}), sink);
    assertThat(decoder.hasPartialFrame()).isTrue();
    decoder.feed(ByteBuffer.wrap(new byte[] {7, 8, 9}), sink);
    assertThat(sink.frames).containsExactly(new byte[] {7, 8, 9});
  }

  @Test
  void zeroLengthFrameIsEmittedWithoutCharge() throws IOException {
    ByteBudget budget = new ByteBudget(1024);
    Collector sink = new Collector(budget);
    new FrameDecoder(MAX, budget).feed(ByteBuffer.wrap(frames(new byte[0])), sink);
    assertThat(sink.frames).containsExactly(new byte[0]);
    assertThat(sink.charged).isZero();
  }

  @Test
  void rejectsNegativeLength() {
    FrameDecoder decoder = new FrameDecoder(MAX, null);
    assertThatThrownBy(() -> decoder.feed(ByteBuffer.allocate(4).putInt(0, -1), new Collector(null)))
        .isInstanceOfSatisfying(FrameLengthException.class,
            e -> assertThat(e.announced()).isEqualTo(-1));
  }

  @Test
  void rejectsLengthAboveTheMaximumSplitAcrossReads() throws IOException {
    FrameDecoder decoder = new FrameDecoder(MAX, null);
    Collector sink = new Collector(null);
    decoder.feed(ByteBuffer.wrap(new byte[] {0x7f, (byte) 0xff}), sink);
    assertThatThrownBy(() -> decoder.feed(ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xff}),
        sink)).isInstanceOfSatisfying(FrameLengthException.class, e -> {
          assertThat(e.announced()).isEqualTo(Integer.MAX_VALUE);
          assertThat(e.maximum()).isEqualTo(MAX);
        });
  }

  @Test
  void maximumCanBeRaisedAfterSetup() throws IOException {
    FrameDecoder decoder = new FrameDecoder(16, null);
    decoder.setMaxFrameLength(MAX);
    Collector sink = new Collector(null);
    decoder.feed(ByteBuffer.wrap(frames(body(1000, 9))), sink);
    assertThat(sink.frames).hasSize(1);
  }

  @Test
  void hugeAnnouncementFedSlowlyHoldsAtMostTwiceWhatArrived() throws IOException {
    int announced = 100 * 1024 * 1024;
    ByteBudget budget = new ByteBudget(Long.MAX_VALUE);
    FrameDecoder decoder = new FrameDecoder(128 * 1024 * 1024, budget);
    Collector sink = new Collector(budget);
    decoder.feed(ByteBuffer.allocate(4).putInt(0, announced), sink);
    byte[] chunk = new byte[10 * 1024];
    long received = 0;
    for (int i = 0; i < 200; i++) {
      decoder.feed(ByteBuffer.wrap(chunk), sink);
      received += chunk.length;
      assertThat((long) decoder.bufferedBytes())
          .isLessThanOrEqualTo(Math.max(2 * received, FrameDecoder.INITIAL_CHUNK));
      assertThat(budget.used()).isEqualTo(decoder.bufferedBytes());
    }
    assertThat(sink.frames).isEmpty();
    decoder.release();
    assertThat(budget.used()).isZero();
    assertThat(decoder.hasPartialFrame()).isFalse();
  }

  @Test
  void chargeOfACompleteFramePassesToTheSink() throws IOException {
    ByteBudget budget = new ByteBudget(Long.MAX_VALUE);
    FrameDecoder decoder = new FrameDecoder(MAX, budget);
    List<Integer> charges = new ArrayList<>();
    byte[] all = frames(body(300, 1), body(20_000, 2));
    decoder.feed(ByteBuffer.wrap(all, 0, 1000), (body, charge) -> charges.add(charge));
    decoder.feed(ByteBuffer.wrap(all, 1000, all.length - 1000),
        (body, charge) -> charges.add(charge));
    assertThat(charges).hasSize(2);
    assertThat(charges.get(0)).isEqualTo(300);
    assertThat(charges.get(1)).isGreaterThanOrEqualTo(20_000);
    assertThat(budget.used()).isEqualTo(charges.get(0) + charges.get(1));
    assertThat(decoder.bufferedBytes()).isZero();
  }
}
