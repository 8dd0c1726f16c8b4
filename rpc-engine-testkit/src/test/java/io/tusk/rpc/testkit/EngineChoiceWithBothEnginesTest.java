package io.tusk.rpc.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.RPC;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.conf.IpcKeys;
import io.tusk.rpc.protobuf.ProtobufProxy;
import io.tusk.rpc.protobuf.ProtobufRpcEngine;
import io.tusk.rpc.protobuf.ProtocolMetaInfoPB;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsRequestProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolVersionProto;
import io.tusk.rpc.testing.LeakCheck;
import io.tusk.rpc.testing.Threads;
import io.tusk.rpc.writable.WritableRpcEngine;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With both engines on the class path and no {@code rpc.engine.<iface>} setting, a PB interface
 * gets the protobuf engine (Hadoop would give it the Writable engine, whose proxy cannot encode a
 * protobuf call) while a plain interface keeps the Writable default.
 */
@Timeout(30)
@ExtendWith(LeakCheck.class)
class EngineChoiceWithBothEnginesTest {
  /** A plain Writable protocol. */
  public interface Adder {
    long versionID = 1L;

    int add(int a, int b) throws IOException;
  }

  @Test
  void aPbInterfaceGetsTheProtobufEngineAndAPlainOneTheWritableEngine() throws Exception {
    Configuration conf = new Configuration().setInt(IpcKeys.CLIENT_CONNECT_MAX_RETRIES, 0);

    assertThat(RPC.getProtocolEngine(ProtocolMetaInfoPB.class, conf))
        .isInstanceOf(ProtobufRpcEngine.class);
    assertThat(RPC.getProtocolEngine(Adder.class, conf)).isInstanceOf(WritableRpcEngine.class);

    // The facade server hosts the meta-info service: call it through a PB proxy made without
    // the setting, next to a Writable proxy on the same server.
    try (RPC.Server server = new RPC.Builder(conf).setProtocol(Adder.class)
        .setInstance((Adder) Integer::sum).setBindAddress("127.0.0.1").setPort(0)
        .setName(Threads.uniqueName("bothengines")).build().start()) {
      InetSocketAddress address = server.getListenerAddress();
      ProtocolMetaInfoPB metaInfo = RPC.getProxy(ProtocolMetaInfoPB.class,
          ProtocolMetaInfoPB.VERSION, address, conf);
      Adder adder = RPC.getProxy(Adder.class, 1, address, conf);
      try {
        assertThat(metaInfo).isInstanceOf(ProtobufProxy.class);
        assertThat(metaInfo.getProtocolVersions(null, GetProtocolVersionsRequestProto.newBuilder()
            .setProtocol(Adder.class.getName()).build()).getProtocolVersionsList())
            .filteredOn(v -> v.getRpcKind().equals("RPC_WRITABLE"))
            .flatExtracting(ProtocolVersionProto::getVersionsList).containsExactly(1L);
        assertThat(adder.add(40, 2)).isEqualTo(42);
      } finally {
        RPC.stopProxy(metaInfo);
        RPC.stopProxy(adder);
      }
    }
  }
}
