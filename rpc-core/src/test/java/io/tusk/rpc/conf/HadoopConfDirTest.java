package io.tusk.rpc.conf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.rpc.client.ClientOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Hadoop configuration directory: core-site.xml and named extra resources, Hadoop's precedence
 * (later overrides earlier unless final), variables, and HADOOP_CONF_DIR from an injected
 * environment.
 */
@Timeout(10)
class HadoopConfDirTest {
  @TempDir
  Path dir;

  private void write(String name, String properties) throws IOException {
    Files.writeString(dir.resolve(name), "<?xml version=\"1.0\"?>\n<configuration>\n" + properties
        + "</configuration>\n", StandardCharsets.UTF_8);
  }

  private static String property(String name, String value) {
    return "  <property><name>" + name + "</name><value>" + value + "</value></property>\n";
  }

  private static String finalProperty(String name, String value) {
    return "  <property><name>" + name + "</name><value>" + value + "</value>"
        + "<final>true</final></property>\n";
  }

  @Test
  void loadsCoreSiteThenTheNamedResourcesLaterOverridingEarlier() throws IOException {
    write("core-site.xml", property("ipc.client.rpc-timeout.ms", "1500")
        + property("only.core", "c") + property("both", "core"));
    write("hdfs-site.xml", property("both", "hdfs") + property("only.hdfs", "h"));
    write("yarn-site.xml", property("both", "yarn"));

    Configuration conf = Configuration.loadDir(dir, "hdfs-site.xml");

    assertThat(ClientOptions.fromConfiguration(conf).rpcTimeout())
        .isEqualTo(Duration.ofMillis(1500));
    assertThat(conf.get("only.core")).isEqualTo("c");
    assertThat(conf.get("only.hdfs")).isEqualTo("h");
    assertThat(conf.get("both")).isEqualTo("hdfs");
    assertThat(Configuration.loadDir(dir).get("both")).as("core-site.xml only").isEqualTo("core");
    assertThat(Configuration.loadDir(dir, "hdfs-site.xml", "yarn-site.xml").get("both"))
        .isEqualTo("yarn");
  }

  @Test
  void aFinalPropertyIsNotOverriddenByLaterResourcesButBySetFromCode() throws IOException {
    write("core-site.xml", finalProperty("locked", "core") + property("open", "core"));
    write("hdfs-site.xml", property("locked", "hdfs") + property("open", "hdfs")
        + finalProperty("locked.later", "hdfs"));
    write("extra.xml", property("locked.later", "extra"));

    Configuration conf = Configuration.loadDir(dir, "hdfs-site.xml", "extra.xml");

    assertThat(conf.get("locked")).isEqualTo("core");
    assertThat(conf.isFinal("locked")).isTrue();
    assertThat(conf.get("open")).isEqualTo("hdfs");
    assertThat(conf.isFinal("open")).isFalse();
    assertThat(conf.get("locked.later")).isEqualTo("hdfs");
    Configuration copy = new Configuration(conf);
    assertThat(copy.isFinal("locked")).as("copies keep final marks").isTrue();
    assertThat(conf.set("locked", "code").get("locked")).isEqualTo("code");
  }

  @Test
  void finalAlsoHoldsAgainstPropertiesFilesAddedLater() throws IOException {
    write("core-site.xml", finalProperty("locked", "xml"));
    Path props = dir.resolve("more.properties");
    Files.writeString(props, "locked=props\nother=1\n", StandardCharsets.UTF_8);

    Configuration conf = Configuration.loadDir(dir).addResource(props);

    assertThat(conf.get("locked")).isEqualTo("xml");
    assertThat(conf.get("other")).isEqualTo("1");
  }

  @Test
  void variablesExpandFromSettingsSystemPropertiesAndTheEnvironment() throws IOException {
    String home = System.getProperty("java.home");
    Map.Entry<String, String> someEnv = System.getenv().entrySet().stream()
        .filter(e -> e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*") && !e.getValue().contains("$"))
        .findFirst().orElseThrow();
    write("core-site.xml", property("base", "/data")
        + property("tmp", "${base}/tmp")
        + property("deeper", "${tmp}/x")
        + property("java", "${java.home}/bin")
        + property("env", "${env." + someEnv.getKey() + "}")
        + property("unknown", "${no.such.variable}/y")
        + property("timeout", "${base.timeout}")
        + property("base.timeout", "2500")
        + property("loop.a", "${loop.b}") + property("loop.b", "${loop.a}"));

    Configuration conf = Configuration.loadDir(dir);

    assertThat(conf.get("tmp")).isEqualTo("/data/tmp");
    assertThat(conf.get("deeper")).isEqualTo("/data/tmp/x");
    assertThat(conf.get("java")).isEqualTo(home + "/bin");
    assertThat(conf.get("env")).isEqualTo(someEnv.getValue());
    assertThat(conf.get("unknown")).isEqualTo("${no.such.variable}/y");
    assertThat(conf.getInt("timeout", 0)).isEqualTo(2500);
    assertThat(conf.getRaw("tmp")).isEqualTo("${base}/tmp");
    assertThat(conf.toMap()).containsEntry("tmp", "${base}/tmp");
    assertThatThrownBy(() -> conf.get("loop.a")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loop.a").hasMessageContaining("substitution");
  }

  @Test
  void missingResourcesAreSkippedButAMissingDirectoryIsAnError() throws IOException {
    write("hdfs-site.xml", property("a", "1"));

    assertThat(Configuration.loadDir(dir, "hdfs-site.xml", "mapred-site.xml").get("a"))
        .as("no core-site.xml, no mapred-site.xml").isEqualTo("1");
    Path missing = dir.resolve("nope");
    assertThatThrownBy(() -> Configuration.loadDir(missing)).isInstanceOf(IOException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void aBrokenResourceIsAnErrorNamingTheFile() throws IOException {
    Files.writeString(dir.resolve("core-site.xml"), "<configuration><property>",
        StandardCharsets.UTF_8);

    assertThatThrownBy(() -> Configuration.loadDir(dir)).isInstanceOf(IOException.class)
        .hasMessageContaining("core-site.xml");
  }

  @Test
  void hadoopConfDirComesFromTheEnvironment() throws IOException {
    write("core-site.xml", property("ipc.client.connect.max.retries", "3"));
    write("hdfs-site.xml", property("dfs.x", "y"));

    Configuration conf = Configuration.fromHadoopConfDir(
        Map.of(Configuration.HADOOP_CONF_DIR, dir.toString())::get, "hdfs-site.xml");

    assertThat(ClientOptions.fromConfiguration(conf).maxConnectRetries()).isEqualTo(3);
    assertThat(conf.get("dfs.x")).isEqualTo("y");
    assertThat(Configuration.fromHadoopConfDir(Map.<String, String>of()::get).toMap())
        .as("unset: empty").isEmpty();
    assertThat(Configuration.fromHadoopConfDir(
        Map.of(Configuration.HADOOP_CONF_DIR, " ")::get).toMap()).as("blank: empty").isEmpty();
    Path missing = dir.resolve("missing");
    assertThatThrownBy(() -> Configuration.fromHadoopConfDir(
        Map.of(Configuration.HADOOP_CONF_DIR, missing.toString())::get))
        .isInstanceOf(IOException.class).hasMessageContaining("HADOOP_CONF_DIR=" + missing);
  }
}
