package io.tusk.rpc.client;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the sockets the client asks for: one per connect attempt. */
final class CountingSocketFactory extends UnconnectedSocketFactory {
  private final AtomicInteger created;
  private final AtomicInteger closed = new AtomicInteger();

  CountingSocketFactory(AtomicInteger created) {
    this.created = created;
  }

  /** Sockets of this factory closed so far. */
  int closed() {
    return closed.get();
  }

  @Override
  public Socket createSocket() {
    created.incrementAndGet();
    return new Socket() {
      private boolean counted;

      @Override
      public synchronized void close() throws IOException {
        if (!counted) {
          counted = true;
          closed.incrementAndGet();
        }
        super.close();
      }
    };
  }
}
