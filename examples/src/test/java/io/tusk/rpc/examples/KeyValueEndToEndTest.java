package io.tusk.rpc.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ServiceException;
import io.tusk.rpc.RemoteException;
import io.tusk.rpc.examples.proto.KeyValueProtos.GetRequestProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.testing.LeakCheck;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The reference protocol over real loopback sockets: every method, sizes, concurrency. */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class KeyValueEndToEndTest {
  private static final int MIB = 1 << 20;

  private Loopback loop;
  private KeyValueClientSideTranslatorPB kv;

  @BeforeEach
  void start() throws IOException {
    loop = new Loopback();
    kv = loop.kv;
  }

  @AfterEach
  void stop() throws IOException {
    if (loop != null) {
      loop.close();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void everyMethodRoundTrips() throws IOException {
    kv.ping();
    assertThat(kv.put("a/1", bytes("one"))).isNull();
    assertThat(kv.put("a/1", bytes("uno"))).isEqualTo(bytes("one"));
    assertThat(kv.put("a/2", bytes("two"))).isNull();
    assertThat(kv.put("b/1", bytes("three"))).isNull();

    assertThat(kv.get("a/1")).isEqualTo(bytes("uno"));
    Map<String, byte[]> some = kv.multiGet(List.of("b/1", "missing", "a/2"));
    assertThat(some.keySet()).containsExactly("b/1", "a/2");
    assertThat(some.get("a/2")).isEqualTo(bytes("two"));
    assertThat(kv.listKeys("a/")).containsExactly("a/1", "a/2");
    assertThat(kv.listKeys(null)).containsExactly("a/1", "a/2", "b/1");

    assertThat(kv.delete("a/1")).isTrue();
    assertThat(kv.delete("a/1")).isFalse();
    assertThat(kv.listKeys(null)).containsExactly("a/2", "b/1");
  }

  @Test
  void eightMebibyteMessagesRoundTripBothWays() throws IOException {
    byte[] big = new byte[8 * MIB];
    new Random(42).nextBytes(big);

    assertThat(kv.put("big", big)).isNull();
    assertThat(kv.get("big")).isEqualTo(big);
    // The previous value comes back in the response of a second 8 MiB put.
    byte[] bigger = Arrays.copyOf(big, 8 * MIB + 1);
    assertThat(kv.put("big", bigger)).isEqualTo(big);
    assertThat(kv.multiGet(List.of("big")).get("big")).isEqualTo(bigger);
  }

  @Test
  void emptyMessagesRoundTrip() throws IOException {
    kv.ping();                                       // empty request, empty response
    assertThat(kv.listKeys(null)).isEmpty();         // empty repeated field
    assertThat(kv.multiGet(List.of())).isEmpty();
    assertThat(kv.put("", new byte[0])).isNull();    // empty key and empty value
    assertThat(kv.get("")).isEmpty();
    assertThat(kv.listKeys(null)).containsExactly("");
  }

  @Test
  void applicationExceptionArrivesWithItsClassAndMessage() {
    // Through the plain interface: unwrapped to the store's own type.
    assertThatThrownBy(() -> kv.get("nope"))
        .isExactlyInstanceOf(KeyNotFoundException.class)
        .hasMessage("no such key: nope")
        .hasCauseInstanceOf(RemoteException.class);

    // Through the PB interface: a ServiceException whose cause is the RemoteException.
    assertThatThrownBy(() -> kv.proxy().get(null,
        GetRequestProto.newBuilder().setKey("nope").build()))
        .isInstanceOf(ServiceException.class)
        .cause().isInstanceOfSatisfying(RemoteException.class, re -> {
          assertThat(re.getClassName()).isEqualTo(KeyNotFoundException.class.getName());
          assertThat(re.getMessage()).isEqualTo("no such key: nope");
          assertThat(re.getErrorCode()).isEqualTo(RpcErrorCodeProto.ERROR_APPLICATION);
        });
  }

  @Test
  void thirtyTwoThreadsShareOneConnection() throws Exception {
    int threads = 32;
    int callsEach = 40;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Callable<Void>> work = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        work.add(() -> {
          for (int i = 0; i < callsEach; i++) {
            String key = "t" + id + "/" + i;
            byte[] value = bytes(key + "=" + (id * 1000 + i));
            assertThat(kv.put(key, value)).isNull();
            assertThat(kv.get(key)).isEqualTo(value);
          }
          assertThat(kv.listKeys("t" + id + "/")).hasSize(callsEach);
          return null;
        });
      }
      for (Future<Void> f : pool.invokeAll(work, 50, TimeUnit.SECONDS)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(kv.listKeys("t")).hasSize(threads * callsEach);
    assertThat(loop.client.connectionCount()).isEqualTo(1);
  }

  @Test
  void serverCountsCallsPerProtobufMethod() throws IOException {
    kv.ping();
    kv.ping();
    assertThatThrownBy(() -> kv.get("nope")).isInstanceOf(KeyNotFoundException.class);

    assertThat(loop.server.metrics().method("ping").getCalls()).isEqualTo(2);
    assertThat(loop.server.metrics().method("get").getCalls()).isEqualTo(1);
    assertThat(loop.server.metrics().method("get").getErrors()).isEqualTo(1);
  }

  @Test
  void closingTheTranslatorStopsItsProxyButNotTheClient() throws IOException {
    kv.close();
    assertThatThrownBy(() -> kv.ping()).isInstanceOf(IOException.class)
        .hasMessageContaining("closed");

    try (KeyValueClientSideTranslatorPB again =
        KeyValueClientSideTranslatorPB.connect(loop.client, loop.address)) {
      again.ping();
      assertThat(again.put("k", bytes("v"))).isNull();
    }
  }
}
