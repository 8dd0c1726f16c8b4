package io.tusk.rpc.writable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.rpc.testing.LeakCheck;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Timeout(10)
@ExtendWith(LeakCheck.class)
class ServerMethodsTest {
  /** A protocol of its own, so the cache counts start at zero. */
  public interface Lookup {
    int plain(int a, String b);

    Long boxed(Integer a, Long b);
  }

  @Test
  void findsByNameAndParameterClassesAndCachesTheHit() throws Exception {
    int before = ServerMethods.cachedMethods(Lookup.class);
    Method first = ServerMethods.find(Lookup.class, "plain", new Class<?>[] {int.class,
        String.class});
    Method second = ServerMethods.find(Lookup.class, "plain", new Class<?>[] {int.class,
        String.class});

    assertThat(first).isEqualTo(Lookup.class.getMethod("plain", int.class, String.class));
    assertThat(second).isSameAs(first);
    assertThat(ServerMethods.cachedMethods(Lookup.class)).isEqualTo(before + 1);
  }

  @Test
  void primitiveWireClassesMatchBoxedParameters() throws Exception {
    Method method = ServerMethods.find(Lookup.class, "boxed", new Class<?>[] {int.class,
        long.class});

    assertThat(method).isEqualTo(Lookup.class.getMethod("boxed", Integer.class, Long.class));
  }

  @Test
  void unknownMethodsThrowTheJdksNoSuchMethodExceptionAndAreNotCached() {
    int before = ServerMethods.cachedMethods(Lookup.class);

    assertThatThrownBy(() -> ServerMethods.find(Lookup.class, "nope", new Class<?>[] {int.class}))
        .isExactlyInstanceOf(NoSuchMethodException.class)
        .hasMessage(Lookup.class.getName() + ".nope(int)");
    assertThatThrownBy(() -> ServerMethods.find(Lookup.class, "plain", new Class<?>[] {long.class,
        String.class})).isInstanceOf(NoSuchMethodException.class);
    assertThat(ServerMethods.cachedMethods(Lookup.class)).isEqualTo(before);
  }
}
