package io.tusk.rpc.writable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ClassCacheTest {
  private static final ClassLoader LOADER = ClassCacheTest.class.getClassLoader();

  private static ClassCache.Key key(String name) {
    return new ClassCache.Key(LOADER, name);
  }

  @Test
  void returnsWhatWasPutAndNullForTheRest() {
    ClassCache cache = new ClassCache(4);
    cache.put(key("java.lang.String"), String.class);

    assertThat(cache.get(key("java.lang.String"))).isEqualTo(String.class);
    assertThat(cache.get(key("java.lang.Integer"))).isNull();
    assertThat(cache.get(new ClassCache.Key(new ClassLoader(null) {}, "java.lang.String")))
        .as("another loader is another key").isNull();
  }

  @Test
  void aFloodOfNewNamesStaysBoundedAndKeepsTheClassesInUse() {
    ClassCache cache = new ClassCache(8);
    cache.put(key("hot"), String.class);
    for (int i = 0; i < 10_000; i++) {
      cache.put(key("cold-" + i), Integer.class);
      if (i % 4 == 0) {
        assertThat(cache.get(key("hot"))).as("after %d cold names", i).isEqualTo(String.class);
      }
      assertThat(cache.size()).isLessThanOrEqualTo(2 * 8 + 1);
    }
    assertThat(cache.get(key("cold-0"))).as("unused entries age out").isNull();
  }

  @Test
  void anEntryUnusedForTwoGenerationsIsDropped() {
    ClassCache cache = new ClassCache(2);
    cache.put(key("a"), String.class);
    cache.put(key("b"), String.class);
    cache.put(key("c"), String.class); // rotation: {a, b} old
    assertThat(cache.get(key("a"))).isEqualTo(String.class); // moved back: young {c, a}
    cache.put(key("d"), String.class); // rotation: {c, a} old, b dropped
    cache.put(key("e"), String.class);

    assertThat(cache.get(key("b"))).isNull();
    assertThat(cache.get(key("a"))).isEqualTo(String.class);
  }

  @Test
  void rejectsANonPositiveGeneration() {
    assertThatThrownBy(() -> new ClassCache(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
