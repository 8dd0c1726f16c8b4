package io.tusk.rpc.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.testing.FakeTicker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class GroupMappingTest {
  /** A mapping that counts its lookups and answers from a fixed table. */
  public static final class Counting implements GroupMapping {
    final AtomicInteger lookups = new AtomicInteger();

    /** Loaded by name through {@link GroupMapping#MAPPING_KEY}. */
    public Counting() {}

    @Override
    public List<String> groups(String user) {
      lookups.incrementAndGet();
      return user.equals("alice") ? List.of("staff", "wheel") : List.of();
    }
  }

  @Test
  void staticOverridesAnswerNamedUsersAndPassOthersOn() throws IOException {
    StaticGroupMapping mapping =
        StaticGroupMapping.parse(" bob = ops , dev,ops ; dr.who=; ;", new Counting());
    assertThat(mapping.groups("bob")).containsExactly("ops", "dev");
    assertThat(mapping.groups("dr.who")).isEmpty();
    assertThat(mapping.groups("alice")).containsExactly("staff", "wheel");
    assertThatThrownBy(() -> StaticGroupMapping.parse("bob", new Counting()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(GroupMapping.STATIC_OVERRIDES_KEY).hasMessageContaining("'bob'");
  }

  @Test
  void cacheKeepsAnswersForTheirTimeToLive() throws IOException {
    Counting counting = new Counting();
    FakeTicker ticker = new FakeTicker();
    CachingGroupMapping cache = new CachingGroupMapping(counting, ticker,
        TimeUnit.SECONDS.toNanos(300), TimeUnit.SECONDS.toNanos(30));
    cache.groups("alice");
    cache.groups("alice");
    cache.groups("nobody");
    cache.groups("nobody");
    assertThat(counting.lookups).hasValue(2);
    ticker.advance(Duration.ofSeconds(31)); // the negative entry expires, the positive one not
    cache.groups("alice");
    cache.groups("nobody");
    assertThat(counting.lookups).hasValue(3);
    ticker.advance(Duration.ofSeconds(300));
    assertThat(cache.groups("alice")).containsExactly("staff", "wheel");
    assertThat(counting.lookups).hasValue(4);
  }

  @Test
  void shellMappingAgreesWithTheIdCommand() throws Exception {
    String user = run("id", "-un");
    String primary = run("id", "-gn");
    List<String> groups = new ShellGroupMapping().groups(user);
    assertThat(groups).isNotEmpty().first().isEqualTo(primary);
    assertThat(groups).containsAll(List.of(run("id", "-Gn").split("\\s+"))).doesNotHaveDuplicates();
  }

  @Test
  void shellMappingGivesNoGroupsToUnknownOrOddNames() throws IOException {
    ShellGroupMapping shell = new ShellGroupMapping();
    assertThat(shell.groups("no-such-user-tusk-4711")).isEmpty();
    assertThat(shell.groups("-a")).isEmpty();
    assertThat(shell.groups("root; touch /tmp/x")).isEmpty();
    assertThat(shell.groups("")).isEmpty();
  }

  @Test
  void configurationPicksOverridesThenTheNamedClass() throws IOException {
    Configuration conf = new Configuration()
        .set(GroupMapping.MAPPING_KEY, Counting.class.getName())
        .set(GroupMapping.STATIC_OVERRIDES_KEY, "carol=ops");
    GroupMapping mapping = GroupMapping.fromConfiguration(conf);
    assertThat(mapping.groups("carol")).containsExactly("ops");
    assertThat(mapping.groups("alice")).containsExactly("staff", "wheel");
    assertThat(GroupMapping.fromConfiguration(new Configuration()).groups("dr.who")).isEmpty();
    assertThatThrownBy(() -> GroupMapping.fromConfiguration(
        new Configuration().set(GroupMapping.MAPPING_KEY, "com.example.Missing")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no such class");
    assertThatThrownBy(() -> GroupMapping.fromConfiguration(
        new Configuration().set(GroupMapping.MAPPING_KEY, String.class.getName())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not implement");
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return out;
  }
}
