package io.tusk.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import java.io.FileNotFoundException;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RemoteExceptionTest {
  @Test
  void unwrapsToTheNamedLookupType() {
    RemoteException re = new RemoteException("java.io.FileNotFoundException", "gone",
        RpcErrorCodeProto.ERROR_APPLICATION);

    IOException e = re.unwrapRemoteException(IllegalStateException.class,
        FileNotFoundException.class);

    assertThat(e).isInstanceOf(FileNotFoundException.class).hasMessage("gone").hasCause(re);
    assertThat(re.getErrorCode()).isEqualTo(RpcErrorCodeProto.ERROR_APPLICATION);
  }

  @Test
  void staysRemoteWhenNoLookupTypeMatches() {
    RemoteException re = new RemoteException("com.example.Custom", "x");

    assertThat(re.unwrapRemoteException(FileNotFoundException.class)).isSameAs(re);
    assertThat(re.unwrapRemoteException()).isSameAs(re);
  }

  @Test
  void hadoopFrameworkNamesUnwrapToTuskTypes() {
    assertThat(new RemoteException("org.apache.hadoop.ipc.RetriableException", "busy")
        .unwrapRemoteException()).isInstanceOf(RetriableException.class).hasMessage("busy");
    assertThat(new RemoteException("org.apache.hadoop.ipc.RpcNoSuchMethodException", "m")
        .unwrapRemoteException()).isInstanceOf(RpcNoSuchMethodException.class);
    assertThat(new RemoteException("org.apache.hadoop.ipc.RPC$VersionMismatch", "v")
        .unwrapRemoteException()).isInstanceOf(RPC.VersionMismatch.class);
    assertThat(new RemoteException("org.apache.hadoop.ipc.RpcNoSuchProtocolException", "p")
        .unwrapRemoteException(RpcNoSuchProtocolException.class))
        .isInstanceOf(RpcNoSuchProtocolException.class);
  }

  @Test
  void loadableIoExceptionsUnwrapByName() {
    assertThat(new RemoteException("java.io.EOFException", "eof").unwrapRemoteException())
        .isInstanceOf(java.io.EOFException.class);
  }

  @Test
  void wireNamesFollowTheAnnotation() {
    assertThat(RemoteException.wireName(RpcServerException.class))
        .isEqualTo("org.apache.hadoop.ipc.RpcServerException");
    assertThat(RemoteException.wireName(RPC.VersionMismatch.class))
        .isEqualTo("org.apache.hadoop.ipc.RPC$VersionMismatch");
    assertThat(RemoteException.wireName(FileNotFoundException.class))
        .isEqualTo("java.io.FileNotFoundException");
  }

  @Test
  void serverExceptionsKnowTheirStatus() {
    assertThat(new RpcServerException("x").status().name()).isEqualTo("ERROR");
    assertThat(new RpcServerException("x", RpcErrorCodeProto.FATAL_INVALID_RPC_HEADER).status()
        .name()).isEqualTo("FATAL");
    assertThat(new RPC.VersionMismatch("p", 1, 2)).hasMessage(
        "Protocol p version mismatch. (client = 1, server = 2)");
  }

  /** Has no (String) constructor, so it cannot be built from the wire's message. */
  static final class NoMessageConstructor extends IOException {
    NoMessageConstructor(int code) {
      super("code " + code);
    }
  }

  @Test
  void namesMatchesTheClassNameOrTheWireName() {
    assertThat(new RemoteException("org.apache.hadoop.ipc.RpcServerException", "x")
        .names(RpcServerException.class)).isTrue();
    assertThat(new RemoteException(RpcServerException.class.getName(), "x")
        .names(RpcServerException.class)).isTrue();
    assertThat(new RemoteException("java.io.IOException", "x")
        .names(FileNotFoundException.class)).isFalse();
  }

  @Test
  void instantiateAsBuildsTheTypeWithTheMessageAndThisAsCause() {
    RemoteException re = new RemoteException("java.lang.IllegalStateException", "bad state");

    assertThat(re.instantiateAs(IllegalStateException.class))
        .isInstanceOf(IllegalStateException.class).hasMessage("bad state").hasCause(re);
    assertThat(re.instantiateAs(NoMessageConstructor.class)).isNull();
  }

  @Test
  void aNamedTypeThatCannotBeBuiltStaysRemote() {
    RemoteException re = new RemoteException(NoMessageConstructor.class.getName(), "m");

    assertThat(re.unwrapRemoteException(NoMessageConstructor.class)).isSameAs(re);
  }

  /** Package-private with a public (String) constructor: Hadoop unwraps such types too. */
  static final class HiddenButBuildable extends IOException {
    public HiddenButBuildable(String message) {
      super(message);
    }
  }

  @Test
  void unwrapsAsHadoopDoesForNullLookupTypesAndTypesOfNonPublicClasses() {
    RemoteException re = new RemoteException(HiddenButBuildable.class.getName(), "hidden");

    assertThat(re.unwrapRemoteException((Class<?>[]) null)).isSameAs(re);
    assertThat(re.unwrapRemoteException(HiddenButBuildable.class))
        .isExactlyInstanceOf(HiddenButBuildable.class).hasMessage("hidden").hasCause(re);
  }

  @Test
  void aMatchingTypeThatIsNoIoExceptionStaysRemote() {
    RemoteException re = new RemoteException(IllegalStateException.class.getName(), "state");

    assertThat(re.unwrapRemoteException(IllegalStateException.class)).isSameAs(re);
  }
}
