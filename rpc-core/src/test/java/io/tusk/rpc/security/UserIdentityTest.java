package io.tusk.rpc.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link UserIdentity}: Hadoop's toString forms, proxy users, doAs nesting, groups, equality. */
@Timeout(10)
class UserIdentityTest {
  private static final UserIdentity ROOT = UserIdentity.createRemoteUser("root");

  @Test
  void toStringIsHadoopsForm() {
    assertThat(UserIdentity.createRemoteUser("alice")).hasToString("alice (auth:SIMPLE)");
    assertThat(UserIdentity.createProxyUser("alice", ROOT))
        .hasToString("alice (auth:PROXY) via root (auth:SIMPLE)");
    assertThat(UserIdentity.createProxyUser("svc", UserIdentity.createProxyUser("alice", ROOT)))
        .hasToString("svc (auth:PROXY) via alice (auth:PROXY) via root (auth:SIMPLE)");
  }

  @Test
  void aProxyUserCarriesItsRealUser() {
    UserIdentity alice = UserIdentity.createProxyUser("alice", ROOT);
    assertThat(alice.authMethod()).isEqualTo(AuthMethod.PROXY);
    assertThat(alice.realUser()).isSameAs(ROOT);
    assertThat(alice.isProxy()).isTrue();
    assertThat(ROOT.isProxy()).isFalse();
    assertThat(ROOT.realUser()).isNull();
    assertThat(ROOT.authMethod()).isEqualTo(AuthMethod.SIMPLE);
  }

  @Test
  void theShortNameEndsAtTheFirstSlashOrAt() {
    UserIdentity nn = UserIdentity.createRemoteUser("nn/host.example.com@EXAMPLE.COM");
    assertThat(nn.shortName()).isEqualTo("nn").isEqualTo(nn.getShortUserName());
    assertThat(nn.fullName()).isEqualTo("nn/host.example.com@EXAMPLE.COM")
        .isEqualTo(nn.getUserName());
    assertThat(nn).hasToString("nn/host.example.com@EXAMPLE.COM (auth:SIMPLE)");
    assertThat(UserIdentity.createRemoteUser("bob@EXAMPLE.COM").shortName()).isEqualTo("bob");
  }

  @Test
  void missingNamesAreRefusedWithHadoopsMessages() {
    assertThatThrownBy(() -> UserIdentity.createRemoteUser(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Null user");
    assertThatThrownBy(() -> UserIdentity.createRemoteUser(""))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Null user");
    assertThatThrownBy(() -> UserIdentity.createProxyUser("", ROOT))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Null user");
    assertThatThrownBy(() -> UserIdentity.createProxyUser("alice", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Null real user");
  }

  @Test
  void equalityIsByNameMethodAndRealUser() {
    GroupMapping none = user -> List.of();
    assertThat(UserIdentity.createRemoteUser("alice"))
        .isEqualTo(UserIdentity.createRemoteUser("alice", none))
        .hasSameHashCodeAs(UserIdentity.createRemoteUser("alice"))
        .isNotEqualTo(UserIdentity.createRemoteUser("bob"))
        .isNotEqualTo(UserIdentity.createProxyUser("alice", ROOT));
    assertThat(UserIdentity.createProxyUser("alice", ROOT))
        .isEqualTo(UserIdentity.createProxyUser("alice", UserIdentity.createRemoteUser("root")))
        .hasSameHashCodeAs(UserIdentity.createProxyUser("alice", ROOT))
        .isNotEqualTo(UserIdentity.createProxyUser("alice", UserIdentity.createRemoteUser("hdfs")));
  }

  @Test
  void doAsSetsTheCurrentUserForTheActionAndNestsAndRestores() throws Exception {
    UserIdentity login = UserIdentity.getLoginUser();
    assertThat(UserIdentity.getCurrentUser()).isSameAs(login);
    UserIdentity alice = UserIdentity.createRemoteUser("alice");
    UserIdentity bob = UserIdentity.createProxyUser("bob", alice);
    AtomicReference<UserIdentity> inner = new AtomicReference<>();

    String result = alice.doAs(() -> {
      assertThat(UserIdentity.getCurrentUser()).isSameAs(alice);
      bob.doAs(() -> {
        inner.set(UserIdentity.getCurrentUser());
        return null;
      });
      assertThat(UserIdentity.getCurrentUser()).as("restored after the inner doAs")
          .isSameAs(alice);
      return "done";
    });

    assertThat(result).isEqualTo("done");
    assertThat(inner.get()).isSameAs(bob);
    assertThat(UserIdentity.getCurrentUser()).isSameAs(login);
    assertThat(UserIdentity.getLoginUser()).as("resolved once").isSameAs(login);
  }

  @Test
  void doAsRestoresWhenTheActionThrowsAndPassesTheExceptionOn() {
    UserIdentity alice = UserIdentity.createRemoteUser("alice");
    UserIdentity bob = UserIdentity.createRemoteUser("bob");
    AtomicReference<UserIdentity> afterFailure = new AtomicReference<>();

    assertThatThrownBy(() -> alice.doAs(() -> {
      try {
        bob.doAs(() -> {
          throw new IOException("boom");
        });
      } finally {
        afterFailure.set(UserIdentity.getCurrentUser());
      }
      return null;
    })).isInstanceOf(IOException.class).hasMessage("boom");

    assertThat(afterFailure.get()).isSameAs(alice);
    assertThat(UserIdentity.getCurrentUser()).isSameAs(UserIdentity.getLoginUser());
  }

  @Test
  void doAsIsPerThread() throws Exception {
    UserIdentity alice = UserIdentity.createRemoteUser("alice");
    AtomicReference<UserIdentity> otherThread = new AtomicReference<>();
    alice.doAs(() -> {
      Thread t = new Thread(() -> otherThread.set(UserIdentity.getCurrentUser()),
          "user-identity-test-other");
      t.start();
      t.join();
      return null;
    });
    assertThat(otherThread.get()).isSameAs(UserIdentity.getLoginUser());
  }

  @Test
  void groupsAreAskedOnlyWhenReadAndFromTheShortName() {
    AtomicInteger asked = new AtomicInteger();
    AtomicReference<String> askedFor = new AtomicReference<>();
    GroupMapping mapping = user -> {
      asked.incrementAndGet();
      askedFor.set(user);
      return List.of("staff", "wheel");
    };
    UserIdentity alice = UserIdentity.createRemoteUser("alice@EXAMPLE.COM", mapping);
    assertThat(asked).as("nothing looked up at creation").hasValue(0);

    assertThat(alice.groups()).containsExactly("staff", "wheel");
    assertThat(alice.primaryGroup()).isEqualTo("staff");
    assertThat(askedFor.get()).isEqualTo("alice");
    assertThat(asked).hasValue(2);
  }

  @Test
  void aFailedGroupLookupIsNoGroups() {
    UserIdentity alice = UserIdentity.createProxyUser("alice", ROOT, user -> {
      throw new IOException("directory down");
    });
    assertThat(alice.groups()).isEmpty();
    assertThat(alice.primaryGroup()).isNull();
  }

  @Test
  void staticOverridesAnswerThroughTheMapping() {
    GroupMapping mapping = StaticGroupMapping.parse("alice=admins,staff;", user -> List.of("x"));
    assertThat(UserIdentity.createRemoteUser("alice", mapping).groups())
        .containsExactly("admins", "staff");
    assertThat(UserIdentity.createRemoteUser("bob", mapping).groups()).containsExactly("x");
  }
}
