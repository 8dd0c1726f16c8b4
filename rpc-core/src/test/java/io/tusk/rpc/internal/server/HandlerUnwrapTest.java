package io.tusk.rpc.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import org.junit.jupiter.api.Test;

/** What a failing invoker's exception becomes on the wire: its wrappers come off first. */
class HandlerUnwrapTest {

  @Test
  void undeclaredThrowableFromAProxyIsUnwrappedAsHadoopDoes() {
    IOException cause = new IOException("boom");
    assertThat(Handler.unwrap(new UndeclaredThrowableException(cause))).isSameAs(cause);
  }

  @Test
  void nestedReflectionAndProxyWrappersAreAllTakenOff() {
    IllegalStateException cause = new IllegalStateException("deep");
    Throwable wrapped = new InvocationTargetException(new UndeclaredThrowableException(
        new InvocationTargetException(cause)));
    assertThat(Handler.unwrap(wrapped)).isSameAs(cause);
  }

  @Test
  void aWrapperWithoutCauseAndPlainExceptionsStayAsTheyAre() {
    UndeclaredThrowableException bare = new UndeclaredThrowableException(null);
    assertThat(Handler.unwrap(bare)).isSameAs(bare);
    IOException plain = new IOException("plain");
    assertThat(Handler.unwrap(plain)).isSameAs(plain);
  }
}
