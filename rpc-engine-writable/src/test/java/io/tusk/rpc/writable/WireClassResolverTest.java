package io.tusk.rpc.writable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WireClassResolverTest {

  private final WireClassResolver resolver = WireClassResolver.forClassLoader(getClass().getClassLoader());

  @Test
  void resolvesPrimitiveKeywords() throws IOException {
    for (Class<?> type : new Class<?>[] {boolean.class, byte.class, char.class, short.class,
        int.class, long.class, float.class, double.class, void.class}) {
      assertThat(resolver.wireName(type)).isEqualTo(type.getName());
      assertThat(resolver.resolve(type.getName())).isEqualTo(type);
    }
  }

  @Test
  void tuskStandInsTravelUnderHadoopNames() throws IOException {
    assertThat(resolver.wireName(Writable.class)).isEqualTo("org.apache.hadoop.io.Writable");
    assertThat(resolver.wireName(Text.class)).isEqualTo("org.apache.hadoop.io.Text");
    assertThat(resolver.wireName(ObjectWritable.class)).isEqualTo("org.apache.hadoop.io.ObjectWritable");
    assertThat(resolver.resolve("org.apache.hadoop.io.Text")).isEqualTo(Text.class);
    assertThat(resolver.resolve("org.apache.hadoop.io.Writable")).isEqualTo(Writable.class);
    // Tusk's own names still load, in case a Tusk peer sends them.
    assertThat(resolver.resolve(Text.class.getName())).isEqualTo(Text.class);
  }

  @Test
  void arrayNamesFollowTheAliases() throws IOException {
    assertThat(resolver.wireName(Text[].class)).isEqualTo("[Lorg.apache.hadoop.io.Text;");
    assertThat(resolver.wireName(Writable[][].class)).isEqualTo("[[Lorg.apache.hadoop.io.Writable;");
    assertThat(resolver.wireName(String[].class)).isEqualTo("[Ljava.lang.String;");
    assertThat(resolver.wireName(int[][].class)).isEqualTo("[[I");
    assertThat(resolver.resolve("[Lorg.apache.hadoop.io.Text;")).isEqualTo(Text[].class);
    assertThat(resolver.resolve("[[Lorg.apache.hadoop.io.Writable;")).isEqualTo(Writable[][].class);
    assertThat(resolver.resolve("[Ljava.lang.String;")).isEqualTo(String[].class);
    assertThat(resolver.resolve("[[I")).isEqualTo(int[][].class);
    assertThat(resolver.resolve("[Z")).isEqualTo(boolean[].class);
  }

  @Test
  void rejectsMalformedArrayNames() {
    for (String bad : new String[] {"[", "[Q", "[Lint;", "[L;", "[Ljava.lang.String", "[II"}) {
      assertThatThrownBy(() -> resolver.resolve(bad)).as(bad).isInstanceOf(IOException.class);
    }
  }

  @Test
  void rejectsArrayNamesNestedInsideTheirElementNameWithoutRecursing() {
    // "[L[L[L...I;;;" is no JVM name; resolving it level by level overflowed the stack
    String nested = "[L".repeat(20_000) + "I" + ";".repeat(20_000);
    for (String bad : new String[] {"[L[I;", "[[L[Ljava.lang.String;;", nested}) {
      assertThatThrownBy(() -> resolver.resolve(bad)).as(bad.substring(0, Math.min(bad.length(), 12)))
          .isExactlyInstanceOf(IOException.class).hasMessageContaining("Malformed array");
    }
    assertThatThrownBy(() -> resolver.resolve("[".repeat(256) + "I"))
        .isExactlyInstanceOf(IOException.class).hasMessageContaining("255 dimensions");
  }

  @Test
  void unknownClassMessageNamesIt() {
    assertThatThrownBy(() -> resolver.resolve("no.such.Clazz"))
        .isInstanceOf(IOException.class).hasMessageContaining("no.such.Clazz");
  }

  @Test
  void cachesSuccessfulLookupsAndStaysBounded() throws IOException {
    WireClassResolver fresh = WireClassResolver.forClassLoader(getClass().getClassLoader());
    assertThat(fresh.resolve("java.lang.String")).isEqualTo(String.class);
    assertThat(fresh.cachedLookups()).isEqualTo(1);
    assertThat(fresh.resolve("java.lang.String")).isEqualTo(String.class);
    assertThat(fresh.cachedLookups()).isEqualTo(1);
    for (int dims = 1; dims <= 255; dims++) {
      fresh.resolve("[".repeat(dims) + "Ljava.lang.String;");
    }
    assertThat(fresh.cachedLookups()).isLessThanOrEqualTo(WireClassResolver.MAX_CACHED);
  }

  @Test
  void defaultResolverUsesTheThreadContextLoader() throws Exception {
    ClassLoader empty = new ClassLoader(null) {};
    Thread thread = Thread.currentThread();
    ClassLoader saved = thread.getContextClassLoader();
    thread.setContextClassLoader(empty);
    try {
      // The test class is invisible to a loader with no parent but the bootstrap loader.
      assertThatThrownBy(() -> WireClassResolver.defaultResolver().resolve(getClass().getName()))
          .isInstanceOf(IOException.class);
      assertThat(WireClassResolver.defaultResolver().resolve("java.lang.String")).isEqualTo(String.class);
    } finally {
      thread.setContextClassLoader(saved);
    }
    assertThat(WireClassResolver.defaultResolver().resolve(getClass().getName())).isEqualTo(getClass());
  }

  @Test
  void withAliasRenamesAClassInBothDirections() throws IOException {
    WireClassResolver renamed = resolver.withAlias("org.apache.hadoop.io.Point", Fixtures.Point.class);
    assertThat(renamed.wireName(Fixtures.Point.class)).isEqualTo("org.apache.hadoop.io.Point");
    assertThat(renamed.resolve("org.apache.hadoop.io.Point")).isEqualTo(Fixtures.Point.class);
    assertThat(renamed.wireName(Text.class)).isEqualTo("org.apache.hadoop.io.Text");
    assertThat(resolver.wireName(Fixtures.Point.class)).isEqualTo(Fixtures.Point.class.getName());
    assertThatThrownBy(() -> resolver.withAlias("x", int.class)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void builtInAliasesAreTheWireNamesOfTheirClasses() throws IOException {
    for (Class<?> type : java.util.List.of(Text.class, Writable.class, ObjectWritable.class,
        io.tusk.rpc.ProtocolSignature.class, io.tusk.rpc.VersionedProtocol.class)) {
      String name = io.tusk.rpc.wire.WireNames.of(type);
      assertThat(name).startsWith("org.apache.hadoop.");
      assertThat(resolver.wireName(type)).isEqualTo(name);
      assertThat(resolver.resolve(name)).isEqualTo(type);
    }
  }

  @Test
  void everyResolverHasItsOwnCache() throws IOException {
    WireClassResolver server = WireClassResolver.forContextClassLoader();
    WireClassResolver client = WireClassResolver.forContextClassLoader();
    int sharedBefore = WireClassResolver.defaultResolver().cachedLookups();

    assertThat(server.resolve("java.util.ArrayList")).isEqualTo(java.util.ArrayList.class);
    assertThat(server.cachedLookups()).isEqualTo(1);
    assertThat(client.cachedLookups()).isZero();
    assertThat(WireClassResolver.defaultResolver().cachedLookups()).isEqualTo(sharedBefore);
    assertThat(server.withAlias("x.Y", Fixtures.Point.class).cachedLookups()).isZero();
  }
}
