package io.tusk.rpc.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.wire.ByteBudget;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.wire.FrameEncoder;
import io.tusk.rpc.wire.RpcHeaders;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The response queue over a real loopback socket to a peer with a small receive buffer: frames
 * arrive whole, once, and in the order each thread handed them in, whether the handing thread
 * wrote them or the "responder" (this test's flush loop) finished them; frames larger than one
 * write slice arrive intact; the budget charge goes back to zero; a closing frame is the last one
 * written; clear() returns every queued byte.
 *
 * <p>And over a {@link RecordingChannel} that takes as many bytes as the test allows and records
 * every write: the shape of the writes (slices of at most 64 KiB, several frames gathered into
 * one write), partial writes resumed, the queued bytes the reader's water marks watch, and large
 * rests taken over from the encoder without a copy.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(LeakCheck.class)
class ResponseQueueTest {
  private ServerSocketChannel listener;
  private SocketChannel serverSide;
  private SocketChannel peer;
  private final ByteBudget budget = new ByteBudget(1L << 40);

  @BeforeEach
  void connect() throws IOException {
    listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    peer = SocketChannel.open();
    peer.setOption(StandardSocketOptions.SO_RCVBUF, 8 * 1024);
    peer.connect(listener.getLocalAddress());
    serverSide = listener.accept();
    serverSide.configureBlocking(false);
  }

  @AfterEach
  void close() throws IOException {
    peer.close();
    serverSide.close();
    listener.close();
  }

  /** A frame: int32 length of what follows, int32 writer, int32 sequence, filler bytes. */
  private static ByteBuffer frame(int writer, int seq, int filler) {
    ByteBuffer b = ByteBuffer.allocate(12 + filler);
    b.putInt(8 + filler).putInt(writer).putInt(seq);
    for (int i = 0; i < filler; i++) {
      b.put((byte) (writer * 31 + seq + i));
    }
    return b.flip();
  }

  /** Reads frames until EOF or {@code count} frames; checks each frame's filler. */
  private static List<int[]> readFrames(DataInputStream in, int count) throws IOException {
    List<int[]> frames = new ArrayList<>();
    try {
      while (frames.size() < count) {
        int length = in.readInt();
        int writer = in.readInt();
        int seq = in.readInt();
        byte[] filler = new byte[length - 8];
        in.readFully(filler);
        for (int i = 0; i < filler.length; i++) {
          assertThat(filler[i]).isEqualTo((byte) (writer * 31 + seq + i));
        }
        frames.add(new int[] {writer, seq});
      }
    } catch (EOFException e) {
      // the queue closed: whatever came is the answer
    }
    return frames;
  }

  /** Plays the responder: flushes while bytes remain, until told to stop. */
  private Thread responder(ResponseQueue queue, CountDownLatch done) {
    Thread t = new Thread(() -> {
      while (done.getCount() > 0 || !queue.isEmpty()) {
        if (queue.flush() == ResponseQueue.Outcome.CLOSE) {
          return;
        }
        Thread.onSpinWait();
      }
    }, "test-responder");
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Test
  void concurrentWritersGetEveryFrameThroughOnceAndInTheirOwnOrder() throws Exception {
    ResponseQueue queue = new ResponseQueue(serverSide, budget);
    int writers = 8;
    int perWriter = 2_000;
    CountDownLatch done = new CountDownLatch(writers);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      Thread t = new Thread(() -> {
        try {
          for (int seq = 0; seq < perWriter; seq++) {
            // Mostly small frames (batched), now and then one over MAX_WRITE (sliced).
            int filler = seq % 97 == 0 ? ResponseQueue.MAX_WRITE + 1_000 : (seq * 7) % 300;
            ByteBuffer reused = frame(writer, seq, filler);
            assertThat(queue.send(reused, false)).isNotEqualTo(ResponseQueue.Outcome.CLOSE);
            reused.clear(); // the caller's buffer is reused at once: the queue must have copied
            reused.put(0, (byte) 0x7f);
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        } finally {
          done.countDown();
        }
      }, "writer-" + w);
      threads.add(t);
      t.start();
    }
    Thread responder = responder(queue, done);
    List<int[]> frames = readFrames(new DataInputStream(peer.socket().getInputStream()),
        writers * perWriter);
    for (Thread t : threads) {
      t.join();
    }
    responder.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(failure.get()).isNull();
    assertThat(frames).hasSize(writers * perWriter);
    int[] next = new int[writers];
    for (int[] f : frames) {
      assertThat(f[1]).as("frame of writer " + f[0]).isEqualTo(next[f[0]]);
      next[f[0]]++;
    }
    assertThat(queue.queuedBytes()).isZero();
    assertThat(budget.used()).isZero();
    assertThat(queue.isEmpty()).isTrue();
  }

  @Test
  void concurrentHandlersWithEncodersGetLargeFramesThroughIntactWhileReusingTheirEncoders()
      throws Exception {
    // As handlers do: each thread encodes into its own encoder and reuses it at once. Large rests
    // are taken over (the encoder starts afresh), small ones copied; either way no frame may be
    // overwritten by the next one its encoder builds.
    ResponseQueue queue = new ResponseQueue(serverSide, budget);
    int writers = 4;
    int perWriter = 150;
    CountDownLatch done = new CountDownLatch(writers);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      Thread t = new Thread(() -> {
        FrameEncoder encoder = new FrameEncoder();
        try {
          for (int seq = 0; seq < perWriter; seq++) {
            int size = seq % 5 == 0 ? 100_000 + seq * 13 : (seq * 37) % 9_000;
            ByteBuffer frame = encoder.encode(RpcHeaders.success(seq, CLIENT_ID, writer),
                RpcPayload.ofBytes(pattern(writer, seq, size)));
            assertThat(queue.send(frame, encoder, false, null))
                .isNotEqualTo(ResponseQueue.Outcome.CLOSE);
            encoder.trim();
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        } finally {
          done.countDown();
        }
      }, "encoding-writer-" + w);
      threads.add(t);
      t.start();
    }
    Thread responder = responder(queue, done);
    DataInputStream in = new DataInputStream(peer.socket().getInputStream());
    int[] next = new int[writers];
    for (int i = 0; i < writers * perWriter; i++) {
      byte[] body = new byte[in.readInt()];
      in.readFully(body);
      ByteBuffer b = ByteBuffer.wrap(body);
      io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto header =
          RpcHeaders.parseResponse(b);
      int writer = header.getRetryCount();
      assertThat(header.getCallId()).as("frame of writer " + writer).isEqualTo(next[writer]);
      byte[] payload = new byte[b.remaining()];
      b.get(payload);
      int seq = next[writer]++;
      assertThat(payload).isEqualTo(pattern(writer, seq,
          seq % 5 == 0 ? 100_000 + seq * 13 : (seq * 37) % 9_000));
    }
    for (Thread t : threads) {
      t.join();
    }
    responder.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(failure.get()).isNull();
    assertThat(queue.queuedBytes()).isZero();
    assertThat(budget.used()).isZero();
  }

  private static byte[] pattern(int writer, int seq, int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (writer * 7 + seq * 3 + i);
    }
    return b;
  }

  @Test
  void closingFrameIsTheLastWrittenAndReportsClose() throws Exception {
    ResponseQueue queue = new ResponseQueue(serverSide, budget);
    assertThat(queue.send(frame(1, 0, 10), false)).isEqualTo(ResponseQueue.Outcome.DONE);
    assertThat(queue.send(frame(1, 1, 10), true)).isEqualTo(ResponseQueue.Outcome.CLOSE);
    assertThat(queue.send(frame(1, 2, 10), false)).isEqualTo(ResponseQueue.Outcome.DONE);
    serverSide.close();
    List<int[]> frames = readFrames(new DataInputStream(peer.socket().getInputStream()), 10);
    assertThat(frames).extracting(f -> f[1]).containsExactly(0, 1);
  }

  @Test
  void queuedBytesAreChargedUntilWrittenAndClearReturnsThem() throws Exception {
    ResponseQueue queue = new ResponseQueue(serverSide, budget);
    ResponseQueue.Outcome last = ResponseQueue.Outcome.DONE;
    int sent = 0;
    while (last != ResponseQueue.Outcome.QUEUED || sent < 64) { // the peer does not read
      last = queue.send(frame(2, sent++, 32 * 1024), false);
    }
    assertThat(queue.queuedBytes()).isPositive();
    assertThat(budget.used()).isEqualTo(queue.queuedBytes());
    assertThat(queue.stalledNanos(System.nanoTime() + 1_000_000)).isPositive();
    queue.clear();
    assertThat(queue.queuedBytes()).isZero();
    assertThat(budget.used()).isZero();
    assertThat(queue.send(frame(2, sent, 10), false)).isEqualTo(ResponseQueue.Outcome.DONE);
    assertThat(budget.used()).isZero();
  }

  /**
   * A channel that takes at most {@link #allowance} bytes in all (Long.MAX_VALUE: everything) and
   * records each write call: the remaining bytes of each buffer offered and the arrays behind them.
   */
  static final class RecordingChannel implements GatheringByteChannel {
    long allowance = Long.MAX_VALUE;
    final ByteArrayOutputStream taken = new ByteArrayOutputStream();
    final List<int[]> calls = new ArrayList<>();
    final List<byte[]> arrays = new ArrayList<>();
    private boolean open = true;

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
      int[] sizes = new int[length];
      long total = 0;
      for (int i = 0; i < length; i++) {
        sizes[i] = srcs[offset + i].remaining();
        arrays.add(srcs[offset + i].array());
      }
      calls.add(sizes);
      for (int i = 0; i < length; i++) {
        ByteBuffer b = srcs[offset + i];
        int n = (int) Math.min(b.remaining(), allowance);
        taken.write(b.array(), b.arrayOffset() + b.position(), n);
        b.position(b.position() + n);
        allowance -= n;
        total += n;
        if (b.hasRemaining()) {
          break;
        }
      }
      return total;
    }

    @Override
    public long write(ByteBuffer[] srcs) {
      return write(srcs, 0, srcs.length);
    }

    @Override
    public int write(ByteBuffer src) {
      return (int) write(new ByteBuffer[] {src}, 0, 1);
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() {
      open = false;
    }

    long largestWrite() {
      return calls.stream().mapToLong(c -> Arrays.stream(c).asLongStream().sum()).max().orElse(0);
    }
  }

  private static byte[] concat(List<ByteBuffer> frames) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (ByteBuffer f : frames) {
      all.write(f.array(), f.arrayOffset() + f.position(), f.remaining());
    }
    return all.toByteArray();
  }

  @Test
  void aFrameAloneGoesStraightFromTheCallersBufferInSlicesOfAtMost64KiB() {
    RecordingChannel channel = new RecordingChannel();
    ResponseQueue queue = new ResponseQueue(channel, budget);
    ByteBuffer frame = frame(1, 0, 300_000);
    byte[] expected = concat(List.of(frame));
    assertThat(queue.send(frame, false)).isEqualTo(ResponseQueue.Outcome.DONE);
    assertThat(channel.taken.toByteArray()).isEqualTo(expected);
    assertThat(channel.calls).hasSize((expected.length + ResponseQueue.MAX_WRITE - 1)
        / ResponseQueue.MAX_WRITE);
    assertThat(channel.calls).allSatisfy(c -> {
      assertThat(c).hasSize(1);
      assertThat(c[0]).isLessThanOrEqualTo(ResponseQueue.MAX_WRITE);
    });
    assertThat(channel.arrays).allSatisfy(a -> assertThat(a).isSameAs(frame.array()));
    assertThat(budget.used()).isZero();
  }

  @Test
  void framesQueuedMeanwhileAreGatheredIntoOneWriteOfAtMost64KiB() {
    RecordingChannel channel = new RecordingChannel();
    channel.allowance = 0; // the socket is full
    ResponseQueue queue = new ResponseQueue(channel, budget);
    List<ByteBuffer> sent = new ArrayList<>();
    for (int seq = 0; seq < 60; seq++) {
      ByteBuffer f = frame(3, seq, 3_000 + seq);
      sent.add(f.duplicate());
      assertThat(queue.send(f, false)).isEqualTo(ResponseQueue.Outcome.QUEUED);
    }
    assertThat(queue.queuedBytes()).isEqualTo(concat(sent).length);
    channel.calls.clear();
    channel.allowance = Long.MAX_VALUE;
    assertThat(queue.flush()).isEqualTo(ResponseQueue.Outcome.DONE);

    assertThat(channel.taken.toByteArray()).isEqualTo(concat(sent));
    // 60 frames of ~3 KiB: 21 fit under 64 KiB per write, so three writes instead of 60.
    assertThat(channel.calls).hasSize(3);
    assertThat(channel.calls.get(0).length).isGreaterThan(1)
        .isLessThanOrEqualTo(ResponseQueue.MAX_GATHER);
    assertThat(channel.largestWrite()).isLessThanOrEqualTo(ResponseQueue.MAX_WRITE);
    assertThat(queue.queuedBytes()).isZero();
    assertThat(budget.used()).isZero();
  }

  @Test
  void noWriteOffersMoreThan64KiBWhateverTheMixOfSizes() {
    RecordingChannel channel = new RecordingChannel();
    channel.allowance = 0;
    ResponseQueue queue = new ResponseQueue(channel, budget);
    List<ByteBuffer> sent = new ArrayList<>();
    java.util.Random random = new java.util.Random(7);
    for (int seq = 0; seq < 200; seq++) {
      int filler = random.nextInt(10) == 0 ? 70_000 + random.nextInt(200_000)
          : random.nextInt(5_000);
      ByteBuffer f = frame(4, seq, filler);
      sent.add(f.duplicate());
      queue.send(f, false);
    }
    // A socket that takes a few odd-sized bites at a time: partial writes everywhere.
    while (queue.queuedBytes() > 0) {
      channel.allowance = 1 + random.nextInt(100_000);
      queue.flush();
    }
    assertThat(channel.taken.toByteArray()).isEqualTo(concat(sent));
    assertThat(channel.largestWrite()).isLessThanOrEqualTo(ResponseQueue.MAX_WRITE);
    assertThat(channel.calls).allSatisfy(c ->
        assertThat(c.length).isLessThanOrEqualTo(ResponseQueue.MAX_GATHER));
    assertThat(budget.used()).isZero();
  }

  @Test
  void partialWritesResumeWhereTheyStopped() {
    RecordingChannel channel = new RecordingChannel();
    ResponseQueue queue = new ResponseQueue(channel, budget);
    List<ByteBuffer> sent = new ArrayList<>();
    channel.allowance = 1_000;
    ByteBuffer first = frame(5, 0, 10_000);
    sent.add(ByteBuffer.wrap(concat(List.of(first)))); // a snapshot: the caller reuses `first`
    assertThat(queue.send(first, false)).isEqualTo(ResponseQueue.Outcome.QUEUED);
    first.clear().put(0, (byte) 0x7f); // the caller's buffer is reused at once
    assertThat(queue.queuedBytes()).isEqualTo(10_012 - 1_000);
    for (int seq = 1; seq < 5; seq++) {
      ByteBuffer f = frame(5, seq, 500);
      sent.add(f.duplicate());
      channel.allowance = 700;
      assertThat(queue.send(f, false)).isEqualTo(ResponseQueue.Outcome.QUEUED);
    }
    int flushes = 0;
    while (queue.queuedBytes() > 0) {
      channel.allowance = 333;
      queue.flush();
      flushes++;
    }
    assertThat(flushes).isGreaterThan(1);
    assertThat(channel.taken.toByteArray()).isEqualTo(concat(sent));
    assertThat(budget.used()).isZero();
    assertThat(queue.isEmpty()).isTrue();
  }

  @Test
  void queuedBytesRiseAboveAHighMarkWhileTheSocketIsFullAndFallToZeroWhenItDrains() {
    RecordingChannel channel = new RecordingChannel();
    channel.allowance = 0;
    ResponseQueue queue = new ResponseQueue(channel, budget);
    long highMark = 256 * 1024;
    int sent = 0;
    while (queue.queuedBytes() <= highMark) {
      queue.send(frame(6, sent++, 10_000), false);
    }
    assertThat(queue.queuedBytes()).isEqualTo(sent * 10_012L);
    assertThat(budget.used()).isEqualTo(queue.queuedBytes());
    assertThat(queue.stalledNanos(System.nanoTime() + 1_000_000)).isPositive();
    long lowMark = 64 * 1024;
    channel.allowance = sent * 10_012L - lowMark; // drains to just the low mark
    assertThat(queue.flush()).isEqualTo(ResponseQueue.Outcome.QUEUED);
    assertThat(queue.queuedBytes()).isEqualTo(lowMark);
    channel.allowance = Long.MAX_VALUE;
    assertThat(queue.flush()).isEqualTo(ResponseQueue.Outcome.DONE);
    assertThat(queue.queuedBytes()).isZero();
    assertThat(queue.stalledNanos(System.nanoTime())).isZero();
    assertThat(budget.used()).isZero();
  }

  @Test
  void aLargeUnsentRestTakesTheEncodersBufferOverInsteadOfACopy() throws IOException {
    RecordingChannel channel = new RecordingChannel();
    channel.allowance = 20_000;
    ResponseQueue queue = new ResponseQueue(channel, budget);
    FrameEncoder encoder = new FrameEncoder();
    byte[] payload = new byte[200_000];
    new java.util.Random(3).nextBytes(payload);
    ByteBuffer frame = encoder.encode(RpcHeaders.success(1, CLIENT_ID, 0),
        RpcPayload.ofBytes(payload));
    byte[] frameArray = frame.array();
    byte[] expected = concat(List.of(frame));

    assertThat(queue.send(frame, encoder, false, null)).isEqualTo(ResponseQueue.Outcome.QUEUED);
    assertThat(encoder.capacity()).as("the encoder let go of its buffer")
        .isLessThan(1_000);
    // The handler's next response goes into the encoder's fresh buffer, not into the queued one.
    encoder.encode(RpcHeaders.success(2, CLIENT_ID, 0), RpcPayload.ofBytes(new byte[300_000]));
    channel.arrays.clear();
    channel.allowance = Long.MAX_VALUE;
    assertThat(queue.flush()).isEqualTo(ResponseQueue.Outcome.DONE);
    assertThat(channel.taken.toByteArray()).isEqualTo(expected);
    assertThat(channel.arrays).as("written from the encoder's own array: no copy")
        .allSatisfy(a -> assertThat(a).isSameAs(frameArray));
    assertThat(budget.used()).isZero();
  }

  @Test
  void aSmallUnsentRestIsCopiedAndTheEncoderKeepsItsBuffer() throws IOException {
    RecordingChannel channel = new RecordingChannel();
    channel.allowance = 10;
    ResponseQueue queue = new ResponseQueue(channel, budget);
    FrameEncoder encoder = new FrameEncoder();
    ByteBuffer frame = encoder.encode(RpcHeaders.success(1, CLIENT_ID, 0),
        RpcPayload.ofBytes(new byte[300]));
    byte[] frameArray = frame.array();
    byte[] expected = concat(List.of(frame));
    assertThat(queue.send(frame, encoder, false, null)).isEqualTo(ResponseQueue.Outcome.QUEUED);
    assertThat(encoder.release(frame)).as("still the encoder's buffer").isTrue();
    Arrays.fill(frameArray, (byte) 0); // the caller reuses it
    channel.allowance = Long.MAX_VALUE;
    assertThat(queue.flush()).isEqualTo(ResponseQueue.Outcome.DONE);
    assertThat(channel.taken.toByteArray()).isEqualTo(expected);
  }

  @Test
  void aLargeFrameBehindQueuedOnesIsTakenOverNotCopied() throws Exception {
    RecordingChannel channel = new RecordingChannel();
    channel.allowance = 0;
    ResponseQueue queue = new ResponseQueue(channel, budget);
    ByteBuffer blocker = frame(7, 0, 100);
    byte[] first = concat(List.of(blocker));
    assertThat(queue.send(blocker, false)).isEqualTo(ResponseQueue.Outcome.QUEUED);
    FrameEncoder encoder = new FrameEncoder();
    ByteBuffer big = encoder.encode(RpcHeaders.success(9, CLIENT_ID, 0),
        RpcPayload.ofBytes(new byte[100_000]));
    byte[] second = concat(List.of(big));
    assertThat(queue.send(big, encoder, false, null)).isEqualTo(ResponseQueue.Outcome.QUEUED);
    assertThat(encoder.capacity()).isLessThan(1_000);
    channel.allowance = Long.MAX_VALUE;
    assertThat(queue.flush()).isEqualTo(ResponseQueue.Outcome.DONE);
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    both.write(first);
    both.write(second);
    assertThat(channel.taken.toByteArray()).isEqualTo(both.toByteArray());
    assertThat(budget.used()).isZero();
  }

  private static final com.google.protobuf.ByteString CLIENT_ID =
      com.google.protobuf.ByteString.copyFrom(new byte[16]);
}
