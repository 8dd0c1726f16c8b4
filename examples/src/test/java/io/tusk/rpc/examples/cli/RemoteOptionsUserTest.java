package io.tusk.rpc.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.security.UserIdentity;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code --user} of {@code tusk call|list}: the named user, else Hadoop's login user. */
@Timeout(10)
class RemoteOptionsUserTest {
  private static final List<Option> OPTIONS =
      List.of(RemoteOptions.TIMEOUT, RemoteOptions.RETRIES, RemoteOptions.USER);

  private static RemoteOptions parse(String... args) throws Exception {
    return RemoteOptions.from(CommandLine.parse(OPTIONS, List.of(args)), "127.0.0.1:9");
  }

  @Test
  void userNamesWhoTheConnectionCallsAs() throws Exception {
    ConnectionId id = parse("--user", "dave").connection("p");
    assertThat(id.user()).isEqualTo("dave");
    assertThat(id.realUser()).isNull();
  }

  @Test
  void withoutUserItIsTheLoginUser() throws Exception {
    assertThat(parse().user()).isEqualTo(UserIdentity.getLoginUser());
    assertThat(parse().connection("p"))
        .isEqualTo(ConnectionId.of(parse().address(), "p", UserIdentity.getLoginUser()));
  }

  @Test
  void anEmptyUserIsAUsageError() {
    assertThatThrownBy(() -> parse("--user", " ")).isInstanceOf(UsageException.class)
        .hasMessage("--user needs a name");
  }

  @Test
  void callAndListOfferUser() {
    assertThat(new CallCommand().options()).contains(RemoteOptions.USER);
    assertThat(new ListCommand().options()).contains(RemoteOptions.USER);
  }
}
