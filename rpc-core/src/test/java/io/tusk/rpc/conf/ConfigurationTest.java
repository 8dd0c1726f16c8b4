package io.tusk.rpc.conf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.rpc.client.ClientOptions;
import io.tusk.rpc.server.ServerOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class ConfigurationTest {
  @TempDir
  Path dir;

  @Test
  void unsetKeysReturnDefaults() {
    Configuration conf = new Configuration();

    assertThat(conf.getInt("x", 7)).isEqualTo(7);
    assertThat(conf.getLong("x", 8L)).isEqualTo(8L);
    assertThat(conf.getBoolean("x", true)).isTrue();
    assertThat(conf.get("x", "d")).isEqualTo("d");
    assertThat(conf.get("x")).isNull();
  }

  @Test
  void typedGettersParseTrimmedValues() {
    Configuration conf = new Configuration()
        .set("i", " 42 ").set("l", "0x10").set("b", "TRUE");

    assertThat(conf.getInt("i", 0)).isEqualTo(42);
    assertThat(conf.getLong("l", 0)).isEqualTo(16);
    assertThat(conf.getBoolean("b", false)).isTrue();
  }

  @Test
  void malformedValueNamesTheKey() {
    Configuration conf = new Configuration().set("ipc.server.handler.count", "ten");

    assertThatThrownBy(() -> conf.getInt("ipc.server.handler.count", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ipc.server.handler.count").hasMessageContaining("ten");
    assertThatThrownBy(() -> new Configuration().set("b", "yes").getBoolean("b", false))
        .hasMessageContaining("b = 'yes'");
  }

  @Test
  void loadsHadoopStyleXml() throws IOException {
    Path file = dir.resolve("core-site.xml");
    Files.writeString(file, """
        <?xml version="1.0"?>
        <configuration>
          <property><name>ipc.server.handler.queue.size</name><value> 7 </value></property>
          <property>
            <name>rpc.engine.com.example.Foo</name>
            <value>com.example.Engine</value>
            <description>ignored</description>
          </property>
        </configuration>
        """, StandardCharsets.UTF_8);

    Configuration conf = Configuration.load(file);

    assertThat(conf.getInt(IpcKeys.SERVER_HANDLER_QUEUE_SIZE, 0)).isEqualTo(7);
    assertThat(conf.get("rpc.engine.com.example.Foo")).isEqualTo("com.example.Engine");
  }

  @Test
  void loadsPropertiesFiles() throws IOException {
    Path file = dir.resolve("tusk.properties");
    Files.writeString(file, "ipc.client.rpc-timeout.ms=1500\n# comment\n", StandardCharsets.UTF_8);

    Configuration conf = Configuration.load(file);

    assertThat(ClientOptions.fromConfiguration(conf).rpcTimeout()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void rejectsXmlWithDoctype() throws IOException {
    Path file = dir.resolve("evil.xml");
    Files.writeString(file, "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
        + "<configuration><property><name>a</name><value>&e;</value></property></configuration>");

    assertThatThrownBy(() -> Configuration.load(file)).isInstanceOf(IOException.class)
        .hasMessageContaining("evil.xml");
  }

  @Test
  void rejectsXmlWithWrongRoot() throws IOException {
    Path file = dir.resolve("wrong.xml");
    Files.writeString(file, "<settings/>");

    assertThatThrownBy(() -> Configuration.load(file)).hasMessageContaining("<configuration>");
  }

  @Test
  void getClassChecksTheInterface() {
    Configuration conf = new Configuration().set("c", "java.lang.String").set("missing", "no.Such");

    assertThat(conf.getClass("c", null, CharSequence.class)).isEqualTo(String.class);
    assertThatThrownBy(() -> conf.getClass("c", null, Runnable.class))
        .hasMessageContaining("does not implement java.lang.Runnable");
    assertThatThrownBy(() -> conf.getClass("missing", null, Object.class))
        .hasMessageContaining("class not found");
  }

  @Test
  void defaultsMatchHadoop() {
    ServerOptions server = ServerOptions.defaults();
    ClientOptions client = ClientOptions.defaults();

    assertThat(server.queueSizePerHandler()).isEqualTo(100);
    assertThat(server.readerCount()).isEqualTo(1);
    assertThat(server.listenBacklog()).isEqualTo(256);
    assertThat(server.maxConnections()).isZero();
    assertThat(server.maxFrameLength()).isEqualTo(128 * 1024 * 1024);
    assertThat(server.tcpNoDelay()).isTrue();
    assertThat(client.connectTimeout()).isEqualTo(Duration.ofMillis(20_000));
    assertThat(client.maxConnectRetries()).isEqualTo(10);
    assertThat(client.connectRetryInterval()).isEqualTo(Duration.ofMillis(1_000));
    assertThat(client.maxIdleTime()).isEqualTo(Duration.ofMillis(10_000));
    assertThat(client.pingInterval()).isEqualTo(Duration.ofMillis(60_000));
    assertThat(client.pingEnabled()).isTrue();
    assertThat(client.rpcTimeout()).isEqualTo(Duration.ofMillis(120_000));
  }

  @Test
  void serverOptionsRejectNonsense() {
    Configuration conf = new Configuration().setInt(IpcKeys.SERVER_HANDLER_COUNT, 0);

    assertThatThrownBy(() -> ServerOptions.fromConfiguration(conf))
        .hasMessageContaining("handlerCount");
  }
}
