package io.tusk.rpc.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.testing.LeakCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link Client#attribute}: per-client state for libraries on top of a client. */
@Timeout(20)
@ExtendWith(LeakCheck.class)
class ClientAttributesTest {
  static final class Counter {
    final AtomicInteger value = new AtomicInteger();
  }

  static final class Other {}

  @Test
  void createsOncePerKeyAndKeepsClientsApart() {
    AtomicInteger created = new AtomicInteger();
    try (Client a = Client.builder().name("attr-a").build();
        Client b = Client.builder().name("attr-b").build()) {
      Counter first = a.attribute(Counter.class, () -> {
        created.incrementAndGet();
        return new Counter();
      });
      Counter again = a.attribute(Counter.class, () -> {
        created.incrementAndGet();
        return new Counter();
      });
      Counter ofB = b.attribute(Counter.class, Counter::new);

      assertThat(again).isSameAs(first);
      assertThat(created).hasValue(1);
      assertThat(ofB).isNotSameAs(first);
      assertThat(a.attribute(Other.class, Other::new)).isInstanceOf(Other.class);
    }
  }

  @Test
  void closeDropsTheValues() {
    Client client = Client.builder().name("attr-close").build();
    Counter before = client.attribute(Counter.class, Counter::new);
    client.close();

    assertThat(client.attribute(Counter.class, Counter::new)).isNotSameAs(before);
  }

  @Test
  void concurrentFirstUsesShareOneValue() throws Exception {
    AtomicInteger created = new AtomicInteger();
    try (Client client = Client.builder().name("attr-race").build()) {
      CountDownLatch go = new CountDownLatch(1);
      List<Counter> seen = java.util.Collections.synchronizedList(new ArrayList<>());
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Thread t = new Thread(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            return;
          }
          seen.add(client.attribute(Counter.class, () -> {
            created.incrementAndGet();
            return new Counter();
          }));
        }, "attr-race-" + i);
        t.start();
        threads.add(t);
      }
      go.countDown();
      for (Thread t : threads) {
        t.join(10_000);
      }

      assertThat(seen).hasSize(8);
      assertThat(seen).allMatch(c -> c == seen.get(0));
      assertThat(created).hasValue(1);
    }
  }
}
