package io.tusk.rpc.writable;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.ProtocolSignature;
import io.tusk.rpc.RemoteException;
import io.tusk.rpc.VersionedProtocol;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * rpc-core's {@link ProtocolSignature} fingerprints (used by {@code ProtocolProxy} and by servers
 * answering {@code getProtocolSignature}) name Tusk's stand-ins for Hadoop classes as Hadoop does,
 * exactly like {@link MethodFingerprints}: otherwise a Hadoop peer finds no method taking or
 * returning {@code Text} (found against a real Hadoop 3.4.2 server in interop-hadoop).
 */
@Timeout(10)
class CoreFingerprintsAgreeWithWritableTest {

  interface WithStandIns extends VersionedProtocol {
    Text shout(Text text) throws IOException;

    Text[] many(Writable[] values, ObjectWritable one) throws IOException;

    String plain(int a, String[] b) throws IOException;
  }

  @Test
  void everyMethodFingerprintsTheSameInCoreAndInTheEngine() {
    for (Method m : WithStandIns.class.getMethods()) {
      assertThat(ProtocolSignature.fingerprint(m)).as(m.getName())
          .isEqualTo(MethodFingerprints.getFingerprint(m));
    }
    assertThat(ProtocolSignature.fingerprint(WithStandIns.class.getMethods()))
        .isEqualTo(MethodFingerprints.getProtocolFingerprint(WithStandIns.class));
  }

  @Test
  void textHashesAsHadoopsText() throws NoSuchMethodException {
    Method shout = WithStandIns.class.getMethod("shout", Text.class);
    int expected = "shout".hashCode() + 31 * "org.apache.hadoop.io.Text".hashCode();
    expected = 31 * expected ^ "org.apache.hadoop.io.Text".hashCode();

    assertThat(ProtocolSignature.fingerprint(shout)).isEqualTo(expected);
  }

  @Test
  void builtInAliasesAreTheWireNamesOfTheirClasses() throws IOException {
    WireClassResolver names = WireClassResolver.defaultResolver();
    for (Class<?> type : List.of(Text.class, Writable.class, ObjectWritable.class,
        ProtocolSignature.class, VersionedProtocol.class)) {
      assertThat(RemoteException.wireName(type)).isEqualTo(names.wireName(type));
      assertThat(names.resolve(RemoteException.wireName(type))).isEqualTo(type);
    }
  }
}
