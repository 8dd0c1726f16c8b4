package io.tusk.rpc.internal.client;

import io.tusk.rpc.wire.FrameEncoder;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The frame encoders of one client {@link Connection}, shared by its callers: a caller takes one,
 * encodes its request, writes or copies the frame, and gives the encoder back.
 *
 * <p>Why a pool per connection and not one encoder per thread: an encoder keeps its grown buffer
 * (up to 1 MiB) so that the hot path allocates nothing, and a thread-local one does that for every
 * thread that ever called, which with thousands of request threads is gigabytes, and on virtual
 * threads caches nothing at all. Encoders are held only while a frame is built and written, so a
 * few per connection serve any number of callers.
 *
 * <p>A bounded lock-free set of slots: {@link #take} empties the first full slot it finds (or makes
 * a new encoder when all are taken: more callers encoding at once than slots), {@link #give} trims
 * the encoder and fills the first empty slot (or drops it when all are full). In the steady state
 * nothing is allocated. Any thread.
 */
final class EncoderPool {
  /** Slots per connection: more than the callers that encode on one connection at the same time. */
  static final int DEFAULT_SIZE = 8;

  private final AtomicReferenceArray<FrameEncoder> slots;

  EncoderPool(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("pool size " + size + " < 1");
    }
    slots = new AtomicReferenceArray<>(size);
  }

  /** An encoder that only the caller uses until it {@link #give gives} it back. */
  FrameEncoder take() {
    for (int i = 0; i < slots.length(); i++) {
      FrameEncoder e = slots.get(i);
      if (e != null && slots.compareAndSet(i, e, null)) {
        return e;
      }
    }
    return new FrameEncoder();
  }

  /**
   * Returns an encoder taken from this pool; the caller must not touch it (nor a frame it encoded)
   * afterwards. Its buffer is trimmed if a huge frame grew it.
   */
  void give(FrameEncoder encoder) {
    encoder.trim();
    for (int i = 0; i < slots.length(); i++) {
      if (slots.get(i) == null && slots.compareAndSet(i, null, encoder)) {
        return;
      }
    }
    // Every slot is full: more encoders were made than the pool keeps; this one goes.
  }

  /** Encoders waiting in the pool now (tests). */
  int idle() {
    int n = 0;
    for (int i = 0; i < slots.length(); i++) {
      if (slots.get(i) != null) {
        n++;
      }
    }
    return n;
  }
}
