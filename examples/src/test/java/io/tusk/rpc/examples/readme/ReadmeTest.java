package io.tusk.rpc.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.conf.IpcKeys;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps README.md true: its code listings are the compiled files of this package, shown as they
 * are, and they run; its first screen has the two commands; its configuration table lists every
 * key of {@link IpcKeys} with its default.
 */
@Timeout(60)
class ReadmeTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern LISTING = Pattern.compile(
      "<!-- listing: (\\S+) -->\\n```\\w*\\n(.*?)\\n```", Pattern.DOTALL);

  private static String readme() throws IOException {
    return Files.readString(ROOT.resolve("README.md"));
  }

  @Test
  void everyListingIsTheFileItNames() throws IOException {
    Map<String, String> listings = new LinkedHashMap<>();
    Matcher m = LISTING.matcher(readme());
    while (m.find()) {
      listings.put(m.group(1), m.group(2));
    }
    assertThat(listings).hasSizeGreaterThanOrEqualTo(9);
    for (Map.Entry<String, String> listing : listings.entrySet()) {
      String file = Files.readString(ROOT.resolve(listing.getKey())).stripTrailing();
      assertThat(listing.getValue()).as("README listing of %s", listing.getKey()).isEqualTo(file);
    }
  }

  @Test
  void everyFileOfTheReadmePackageIsListed() throws IOException {
    String readme = readme();
    Path dir = ROOT.resolve("examples/src/main/java/io/tusk/rpc/examples/readme");
    List<Path> sources;
    try (Stream<Path> files = Files.list(dir)) {
      sources = files.filter(p -> !p.getFileName().toString().equals("package-info.java"))
          .toList();
    }
    assertThat(sources).isNotEmpty();
    for (Path source : sources) {
      assertThat(readme).contains("<!-- listing: " + ROOT.relativize(source) + " -->");
    }
  }

  @Test
  void theListingsRunAndLeaveNoThreads() throws Exception {
    Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());

    assertThat(ProtobufQuickstart.run("Tusk")).isEqualTo("Hello, Tusk");
    assertThat(WritableQuickstart.run()).isEqualTo(42);
    assertThat(UpperCaseEngine.run("one server, many engines"))
        .isEqualTo("ONE SERVER, MANY ENGINES");

    awaitNoNewThreads(before, Duration.ofSeconds(10));
  }

  @Test
  void firstScreenHasTheDemoAndTestCommandsAndCiRunsTheTestCommand() throws IOException {
    List<String> firstScreen = readme().lines().limit(24).toList();
    List<String> commands = new ArrayList<>();
    boolean inBlock = false;
    for (String line : firstScreen) {
      if (line.startsWith("```")) {
        inBlock = !inBlock;
      } else if (inBlock) {
        commands.add(line);
      }
    }
    assertThat(commands).containsExactly(
        "mvn -B -q -DskipTests -pl examples -am package && java -jar examples/target/tusk.jar demo",
        "mvn -B verify");
    assertThat(Files.readString(ROOT.resolve(".ci/run"))).contains("\nmvn -B verify\n");
  }

  @Test
  void configurationTableListsEveryKeyWithItsDefault() throws Exception {
    String readme = readme();
    for (Field field : IpcKeys.class.getFields()) {
      if (!Modifier.isStatic(field.getModifiers()) || field.getType() != String.class
          || field.getName().endsWith("_PREFIX") || field.getName().endsWith("_DEFAULT")) {
        continue;
      }
      String key = (String) field.get(null);
      Object defaultValue = IpcKeys.class.getField(field.getName() + "_DEFAULT").get(null);
      assertThat(readme).as("configuration row of %s", key)
          .contains("| `" + key + "` | " + defaultValue + " |");
    }
    assertThat(readme).contains("| `" + IpcKeys.RPC_ENGINE_PREFIX + "<protocol>` |");
  }

  private static void awaitNoNewThreads(Set<Thread> before, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (!before.contains(t)) {
        t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        assertThat(t.isAlive()).as("thread %s still alive", t.getName()).isFalse();
      }
    }
  }
}
