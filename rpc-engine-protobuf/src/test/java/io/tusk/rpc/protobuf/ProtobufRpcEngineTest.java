package io.tusk.rpc.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.RPC;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.testing.LeakCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Engine discovery and registration. */
@Timeout(10)
@ExtendWith(LeakCheck.class)
class ProtobufRpcEngineTest {
  @Test
  void isFoundThroughServiceLoaderForItsKind() {
    assertThat(RPC.defaultEngine(RpcKind.RPC_PROTOCOL_BUFFER))
        .isInstanceOf(ProtobufRpcEngine.class);
  }

  @Test
  void isChosenBySetting() {
    Configuration conf = new Configuration();
    RPC.setProtocolEngine(conf, TestInfoPB.class, ProtobufRpcEngine.class);
    assertThat(RPC.getProtocolEngine(TestInfoPB.class, conf))
        .isInstanceOf(ProtobufRpcEngine.class);
  }

  @Test
  void serverHalfIsOneSharedValueOfTheRightKind() {
    ProtobufRpcEngine a = new ProtobufRpcEngine();
    ProtobufRpcEngine b = new ProtobufRpcEngine();
    assertThat(a.rpcKind()).isEqualTo(RpcKind.RPC_PROTOCOL_BUFFER);
    assertThat(a.newServerEngine().kind()).isEqualTo(RpcKind.RPC_PROTOCOL_BUFFER);
    assertThat(a.newServerEngine()).isSameAs(b.newServerEngine());
    assertThat(a.newServerEngine().id()).isEqualTo(ProtobufRpcEngine.class.getName());
  }

  @Test
  void sourcesDoNotImportTheWritableEngine() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      assertThat(files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
        try {
          return Files.readString(p).contains("io.tusk.rpc.writable");
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      })).isEmpty();
    }
  }
}
