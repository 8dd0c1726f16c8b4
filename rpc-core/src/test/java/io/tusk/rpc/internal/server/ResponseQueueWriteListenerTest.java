package io.tusk.rpc.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.wire.ByteBudget;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The response queue tells a frame's listener once, when the frame's last byte is written (the
 * per-call "response written" timestamp), and never for a frame it drops.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(LeakCheck.class)
class ResponseQueueWriteListenerTest {
  private static final int BIG = 4 * 1024 * 1024; // far more than both socket buffers hold

  private ServerSocketChannel listener;
  private SocketChannel serverSide;
  private SocketChannel peer;
  private ResponseQueue queue;
  private final List<String> written = new CopyOnWriteArrayList<>();

  @BeforeEach
  void connect() throws IOException {
    listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    peer = SocketChannel.open();
    peer.setOption(StandardSocketOptions.SO_RCVBUF, 8 * 1024);
    peer.connect(listener.getLocalAddress());
    serverSide = listener.accept();
    serverSide.configureBlocking(false);
    queue = new ResponseQueue(serverSide, new ByteBudget(1L << 40));
  }

  @AfterEach
  void close() throws IOException {
    peer.close();
    serverSide.close();
    listener.close();
  }

  private ResponseQueue.WriteListener listener(String name) {
    return () -> written.add(name);
  }

  private static ByteBuffer frame(int size) {
    return ByteBuffer.allocate(size);
  }

  /** Reads what the peer has (blocking until something arrives). */
  private long readSome() throws IOException {
    return peer.read(ByteBuffer.allocate(64 * 1024));
  }

  @Test
  void aFrameWrittenAtOnceIsReportedBeforeSendReturns() {
    assertThat(queue.send(frame(100), false, listener("small"))).isEqualTo(
        ResponseQueue.Outcome.DONE);

    assertThat(written).containsExactly("small");
  }

  @Test
  void queuedFramesAreReportedInOrderOnlyOnceTheirLastByteIsWritten() throws IOException {
    assertThat(queue.send(frame(BIG), false, listener("big"))).isEqualTo(
        ResponseQueue.Outcome.QUEUED);
    queue.send(frame(100), false, listener("after")); // behind the big one, the socket full
    queue.send(frame(50), false, null); // frames without a listener are fine too

    assertThat(written).isEmpty();
    long read = 0;
    while (queue.flush() == ResponseQueue.Outcome.QUEUED) {
      assertThat(written).doesNotContain("after");
      read += readSome();
    }

    // reported when handed to the socket: only this thread reads, and it has not read them yet
    assertThat(read).isLessThan(BIG + 150);
    assertThat(written).containsExactly("big", "after");
  }

  @Test
  void framesDroppedByClearAreNeverReported() {
    assertThat(queue.send(frame(BIG), false, listener("big"))).isEqualTo(
        ResponseQueue.Outcome.QUEUED);
    queue.send(frame(100), false, listener("after"));

    queue.clear();
    queue.flush();

    assertThat(written).isEmpty();
    assertThat(queue.queuedBytes()).isZero();
  }
}
