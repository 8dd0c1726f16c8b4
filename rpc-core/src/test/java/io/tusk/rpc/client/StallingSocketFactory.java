package io.tusk.rpc.client;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real loopback sockets whose writes a test can stall, as when the server stops reading and the
 * socket buffers are full, without depending on buffer sizes. Once {@link #stallWrites} is
 * called, every later write blocks until its socket is closed (then it fails, as a real blocked
 * write does). {@link #holdNextWrite} lets the next write through only when the test says so.
 * Arm either only once the connection is set up: the connection header is a write too.
 */
final class StallingSocketFactory extends UnconnectedSocketFactory {
  private final AtomicInteger stalledWrites = new AtomicInteger();
  private volatile boolean stalled;
  private volatile CountDownLatch hold;
  private volatile CountDownLatch release = new CountDownLatch(0);
  private volatile CountDownLatch holding = new CountDownLatch(1);

  /** Every write from now on blocks until its socket is closed. */
  void stallWrites() {
    stalled = true;
  }

  /** New writes pass again (writes already stalled stay so until their socket closes). */
  void resume() {
    stalled = false;
  }

  /** Writes that entered the stall so far. */
  int stalledWrites() {
    return stalledWrites.get();
  }

  /** The next write waits for {@link #releaseHeldWrite}; returns a latch that opens when it does. */
  CountDownLatch holdNextWrite() {
    holding = new CountDownLatch(1);
    release = new CountDownLatch(1);
    hold = release;
    return holding;
  }

  void releaseHeldWrite() {
    release.countDown();
  }

  @Override
  public Socket createSocket() {
    return new StallingSocket();
  }





  private final class StallingSocket extends Socket {
    private final CountDownLatch closed = new CountDownLatch(1);
    private OutputStream out;

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
      if (out == null) {
        out = new FilterOutputStream(super.getOutputStream()) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            pass();
            super.out.write(b, off, len);
          }

          @Override
          public void write(int b) throws IOException {
            pass();
            super.out.write(b);
          }
        };
      }
      return out;
    }

    private void pass() throws IOException {
      CountDownLatch h = hold;
      if (h != null) {
        hold = null;
        holding.countDown();
        await(h);
        return; // the held write goes through, whatever happened meanwhile
      }
      if (stalled) {
        stalledWrites.incrementAndGet();
        await(closed);
        throw new SocketException("Socket closed");
      }
    }

    private void await(CountDownLatch latch) throws IOException {
      try {
        while (!latch.await(10, TimeUnit.MILLISECONDS)) {
          if (closed.getCount() == 0) {
            throw new SocketException("Socket closed");
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted in a stalled write");
      }
    }

    @Override
    public synchronized void close() throws IOException {
      closed.countDown();
      super.close();
    }
  }
}
