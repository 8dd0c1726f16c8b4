package io.tusk.rpc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.ProtocolInfo;
import io.tusk.rpc.RPC;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.examples.proto.KeyValueProtos.KeyValueService;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsRequestProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsResponseProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolVersionProto;
import io.tusk.rpc.protobuf.ProtobufRpcEngine;
import io.tusk.rpc.protobuf.ProtocolMetaInfoPB;
import io.tusk.rpc.protobuf.RpcClientUtil;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One server, one port, two engines: a Writable protocol and the protobuf reference protocol side
 * by side, both built and called through the {@link RPC} facade.
 */
@Timeout(120)
@ExtendWith(LeakCheck.class)
class MixedServerEndToEndTest {
  /** A legacy Writable protocol (the default engine). */
  @ProtocolInfo(protocolName = "io.tusk.rpc.examples.test.Greeter", protocolVersion = 3)
  public interface Greeter {
    String greet(String name) throws IOException;

    int add(int a, int b) throws IOException;
  }

  /** The Greeter as a newer client sees it: the same name and version, one method more. */
  @ProtocolInfo(protocolName = "io.tusk.rpc.examples.test.Greeter", protocolVersion = 3)
  public interface GreeterPlus extends Greeter {
    String farewell(String name) throws IOException;
  }

  static final class FriendlyGreeter implements Greeter {
    @Override
    public String greet(String name) {
      return "Hello, " + name;
    }

    @Override
    public int add(int a, int b) {
      return a + b;
    }
  }

  private final String name = Threads.uniqueName("mixed");
  private final Configuration conf = new Configuration();
  private RPC.Server server;
  private InetSocketAddress address;
  private final List<Object> proxies = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    RPC.setProtocolEngine(conf, KeyValueProtocolPB.class, ProtobufRpcEngine.class);
    RPC.setProtocolEngine(conf, ProtocolMetaInfoPB.class, ProtobufRpcEngine.class);
    server = new RPC.Builder(conf).setProtocol(Greeter.class).setInstance(new FriendlyGreeter())
        .setBindAddress("127.0.0.1").setPort(0).setNumHandlers(4).setName(name).build();
    server.addProtocol(RpcKind.RPC_PROTOCOL_BUFFER, KeyValueProtocolPB.class,
        KeyValueService.newReflectiveBlockingService(
            new KeyValueServerSideTranslatorPB(new InMemoryKeyValueStore())));
    server.start();
    address = new InetSocketAddress("127.0.0.1", server.getListenerAddress().getPort());
  }

  @AfterEach
  void stop() {
    proxies.forEach(RPC::stopProxy);
    if (server != null) {
      server.close();
    }
    Threads.assertNoneAlive(name, Duration.ofSeconds(10));
  }

  private <T> T proxy(Class<T> protocol) throws IOException {
    T proxy = RPC.getProxy(protocol, RPC.getProtocolVersion(protocol), address, conf);
    proxies.add(proxy);
    return proxy;
  }

  @Test
  void writableAndProtobufCallsInterleaveFromSixteenThreads() throws Exception {
    Greeter greeter = proxy(Greeter.class);
    KeyValueStore kv = new KeyValueClientSideTranslatorPB(proxy(KeyValueProtocolPB.class));
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<String>> results = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      int thread = t;
      results.add(CompletableFuture.supplyAsync(() -> {
        try {
          go.await();
          for (int i = 0; i < 200; i++) {
            String key = "t" + thread + "-" + i;
            if (!greeter.greet(key).equals("Hello, " + key)) {
              return "greet mismatch at " + key;
            }
            kv.put(key, key.getBytes(StandardCharsets.UTF_8));
            if (greeter.add(thread, i) != thread + i) {
              return "add mismatch at " + key;
            }
            if (!new String(kv.get(key), StandardCharsets.UTF_8).equals(key)) {
              return "get mismatch at " + key;
            }
          }
          return "ok";
        } catch (Exception e) {
          return e.toString();
        }
      }));
    }
    go.countDown();
    for (CompletableFuture<String> r : results) {
      assertThat(r.get()).isEqualTo("ok");
    }

    assertThat(kv.listKeys("t15-")).hasSize(200);
    // one connection per protocol, shared by all sixteen threads
    assertThat(server.server().getNumOpenConnections()).isEqualTo(2);
    assertThat(server.server().metrics().method("greet").getCalls()).isEqualTo(16 * 200);
    assertThat(server.server().metrics().method("get").getCalls()).isEqualTo(16 * 200);
  }

  @Test
  void protocolMetaInfoListsBothEnginesWithTheirVersions() throws Exception {
    ProtocolMetaInfoPB metaInfo = proxy(ProtocolMetaInfoPB.class);

    assertThat(versions(metaInfo, Greeter.class)).containsEntry("RPC_WRITABLE", List.of(3L))
        .containsEntry("RPC_PROTOCOL_BUFFER", List.of());
    assertThat(versions(metaInfo, KeyValueProtocolPB.class))
        .containsEntry("RPC_PROTOCOL_BUFFER", List.of(RPC.getProtocolVersion(
            KeyValueProtocolPB.class)))
        .containsEntry("RPC_WRITABLE", List.of());
  }

  @Test
  void isMethodSupportedThroughAWritableProxyAndAProtobufProxy() throws Exception {
    Greeter greeter = proxy(Greeter.class);
    Object kv = proxy(KeyValueProtocolPB.class);
    RpcKind writable = RpcKind.RPC_WRITABLE;
    RpcKind pb = RpcKind.RPC_PROTOCOL_BUFFER;

    assertThat(RpcClientUtil.isMethodSupported(greeter, Greeter.class, writable, 3, "greet"))
        .isTrue();
    assertThat(RpcClientUtil.isMethodSupported(greeter, GreeterPlus.class, writable, 3,
        "farewell")).as("a method the server does not serve").isFalse();
    assertThat(RpcClientUtil.isMethodSupported(greeter, Greeter.class, writable, 4, "greet"))
        .as("a version the server does not host").isFalse();
    assertThat(RpcClientUtil.isMethodSupported(greeter, Greeter.class, pb, 3, "greet"))
        .as("another kind").isFalse();
    assertThat(RpcClientUtil.isMethodSupported(kv, KeyValueProtocolPB.class, pb, 1, "get"))
        .isTrue();
    assertThat(RpcClientUtil.isMethodSupported(kv, Greeter.class, writable, 3, "add"))
        .as("any proxy to the server can ask about any protocol").isTrue();
    // The questions travelled over the proxies' own connections.
    assertThat(server.server().getNumOpenConnections()).isEqualTo(2);
    assertThat(RPC.getConnectionIdForProxy(greeter).protocol())
        .isEqualTo(RPC.getProtocolName(Greeter.class));
    assertThat(RPC.getClient(greeter)).isSameAs(RPC.getClient(kv));
  }

  private static Map<String, List<Long>> versions(ProtocolMetaInfoPB metaInfo, Class<?> protocol)
      throws Exception {
    GetProtocolVersionsResponseProto response = metaInfo.getProtocolVersions(null,
        GetProtocolVersionsRequestProto.newBuilder().setProtocol(protocol.getName()).build());
    Map<String, List<Long>> byKind = new TreeMap<>();
    for (ProtocolVersionProto v : response.getProtocolVersionsList()) {
      byKind.put(v.getRpcKind(), v.getVersionsList());
    }
    return byKind;
  }
}
