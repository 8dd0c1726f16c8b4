package io.tusk.rpc.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.wire.ByteBudget;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
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
}
