package io.tusk.rpc.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.RpcController;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolSignatureRequestProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolSignatureResponseProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsRequestProto;
import io.tusk.rpc.proto.ProtocolInfoProtos.GetProtocolVersionsResponseProto;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The per-interface cache of request headers and response prototypes. */
@Timeout(10)
class MethodTableTest {
  @Test
  void isComputedOncePerInterface() {
    assertThat(MethodTable.of(TestInfoPB.class)).isSameAs(MethodTable.of(TestInfoPB.class));
    assertThat(MethodTable.of(TestInfoPB.V4.class)).isNotSameAs(MethodTable.of(TestInfoPB.class));
  }

  @Test
  void holdsHeaderAndDefaultInstancePrototypePerRpcMethod() throws Exception {
    MethodTable table = MethodTable.of(TestInfoPB.class);
    Method m = TestInfoPB.class.getMethod("getProtocolSignature", RpcController.class,
        GetProtocolSignatureRequestProto.class);

    MethodTable.Entry entry = table.get(m);

    assertThat(table.size()).isEqualTo(2);
    assertThat(entry.responsePrototype())
        .isSameAs(GetProtocolSignatureResponseProto.getDefaultInstance());
    assertThat(entry.header().getMethodName()).isEqualTo("getProtocolSignature");
    assertThat(entry.header().getDeclaringClassProtocolName()).isEqualTo("tusk.test.Info");
    assertThat(entry.header().getClientProtocolVersion()).isEqualTo(3);
    assertThat(table.get(m)).isSameAs(entry);
  }

  @Test
  void findsMethodsByTheMethodObjectAProxyReceives() throws Exception {
    // A proxy is handed the Method of the declaring (generated) interface.
    Method declared = io.tusk.rpc.proto.ProtocolInfoProtos.ProtocolInfoService.BlockingInterface
        .class.getMethod("getProtocolVersions", RpcController.class,
            GetProtocolVersionsRequestProto.class);
    assertThat(MethodTable.of(TestInfoPB.class).get(declared).responsePrototype())
        .isSameAs(GetProtocolVersionsResponseProto.getDefaultInstance());
    assertThat(MethodTable.of(TestInfoPB.V4.class).get(declared).header()
        .getClientProtocolVersion()).isEqualTo(4);
  }

  @Test
  void ignoresMethodsThatAreNotRpcMethods() throws Exception {
    @io.tusk.rpc.ProtocolInfo(protocolName = "with.close", protocolVersion = 1)
    interface WithClose extends TestInfoPB, java.io.Closeable {}
    assertThat(MethodTable.of(WithClose.class).get(WithClose.class.getMethod("close"))).isNull();
  }

  @Test
  void rejectsAnInterfaceWithoutVersion() {
    interface NoVersion extends TestInfoPB {}
    // NoVersion inherits nothing: @ProtocolInfo is not @Inherited and there is no versionID.
    assertThatThrownBy(() -> MethodTable.of(NoVersion.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no version");
  }
}
