package io.tusk.rpc.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcRequestHeaderProto;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.wire.FrameEncoder;
import io.tusk.rpc.wire.RpcHeaders;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client connection's encoder pool: encoders are reused, the pool keeps no more than its
 * size, huge buffers are trimmed on the way back, and concurrent callers never share an encoder.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@ExtendWith(LeakCheck.class)
class EncoderPoolTest {
  private static final ByteString CLIENT_ID = ByteString.copyFrom(new byte[16]);

  @Test
  void aReturnedEncoderIsTheNextOneTaken() {
    EncoderPool pool = new EncoderPool(4);
    FrameEncoder first = pool.take();
    pool.give(first);
    assertThat(pool.take()).isSameAs(first);
  }

  @Test
  void keepsAtMostItsSizeAndMakesNewEncodersWhenAllAreTaken() {
    EncoderPool pool = new EncoderPool(3);
    List<FrameEncoder> taken = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      taken.add(pool.take());
    }
    Set<FrameEncoder> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
    distinct.addAll(taken);
    assertThat(distinct).hasSize(5);
    taken.forEach(pool::give);
    assertThat(pool.idle()).isEqualTo(3);
    Set<FrameEncoder> again = Collections.newSetFromMap(new IdentityHashMap<>());
    for (int i = 0; i < 3; i++) {
      again.add(pool.take());
    }
    assertThat(distinct).containsAll(again);
    assertThat(pool.idle()).isZero();
  }

  @Test
  void aGrownBufferIsKeptUnlessHuge() throws Exception {
    EncoderPool pool = new EncoderPool(1);
    RpcRequestHeaderProto header = RpcHeaders.request(RpcKind.RPC_BUILTIN, 1, -1, CLIENT_ID);
    FrameEncoder encoder = pool.take();
    encoder.encode(header, RpcPayload.ofBytes(new byte[100_000]));
    pool.give(encoder);
    assertThat(pool.take().capacity()).isGreaterThan(100_000);
    pool.give(encoder);
    encoder = pool.take();
    encoder.encode(header, RpcPayload.ofBytes(new byte[3 << 20]));
    pool.give(encoder);
    assertThat(pool.take().capacity()).isLessThan(100_000);
  }

  @Test
  void rejectsAnEmptyPool() {
    assertThatThrownBy(() -> new EncoderPool(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void concurrentCallersNeverShareAnEncoderAndTheirFramesStayIntact() throws Exception {
    EncoderPool pool = new EncoderPool(4);
    Set<FrameEncoder> inUse = Collections.synchronizedSet(
        Collections.newSetFromMap(new IdentityHashMap<>()));
    Set<FrameEncoder> seen = Collections.synchronizedSet(
        Collections.newSetFromMap(new IdentityHashMap<>()));
    int threads = 16;
    int calls = 5_000;
    CountDownLatch start = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread thread = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < calls; i++) {
            FrameEncoder encoder = pool.take();
            seen.add(encoder);
            assertThat(inUse.add(encoder)).as("encoder held by two callers").isTrue();
            byte[] body = new byte[1 + (i * 31 + id) % 3_000];
            body[body.length - 1] = (byte) id;
            RpcRequestHeaderProto header =
                RpcHeaders.request(RpcKind.RPC_PROTOCOL_BUFFER, i, id, CLIENT_ID);
            ByteBuffer frame = encoder.encode(header, RpcPayload.ofBytes(body));
            Thread.yield(); // let others run while this one "writes"
            assertThat(frame.getInt(0)).isEqualTo(frame.limit() - 4);
            assertThat(frame.get(frame.limit() - 1)).isEqualTo((byte) id);
            ByteBuffer read = frame.duplicate().position(4);
            assertThat(RpcHeaders.parseRequest(read)).isEqualTo(header);
            inUse.remove(encoder);
            pool.give(encoder);
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "pool-caller-" + t);
      all.add(thread);
      thread.start();
    }
    start.countDown();
    for (Thread t : all) {
      t.join();
    }
    assertThat(failure.get()).isNull();
    assertThat(pool.idle()).isLessThanOrEqualTo(4);
    assertThat(seen.size()).as("encoders made for %d x %d calls", threads, calls)
        .isLessThan(threads * calls / 10);
  }
}
