package io.tusk.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ClassLoadersTest {
  private static ClassLoader withContextLoader(ClassLoader loader,
      java.util.function.Supplier<ClassLoader> body) {
    Thread thread = Thread.currentThread();
    ClassLoader saved = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      return body.get();
    } finally {
      thread.setContextClassLoader(saved);
    }
  }

  @Test
  void prefersTheThreadsContextLoader() {
    ClassLoader custom = new ClassLoader(null) {};

    assertThat(withContextLoader(custom, ClassLoaders::context)).isSameAs(custom);
    assertThat(withContextLoader(custom, () -> ClassLoaders.context(String.class)))
        .isSameAs(custom);
  }

  @Test
  void withoutOneFallsBackToTheCallersLoader() {
    assertThat(withContextLoader(null, ClassLoaders::context))
        .isSameAs(ClassLoaders.class.getClassLoader());
    assertThat(withContextLoader(null, () -> ClassLoaders.context(ClassLoadersTest.class)))
        .isSameAs(ClassLoadersTest.class.getClassLoader());
  }
}
