package io.tusk.rpc.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.ProtocolInfo;
import io.tusk.rpc.RPC;
import io.tusk.rpc.internal.ProtocolNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * rpc-core's {@link ProtocolNames}, tested here because this module's tests have a stand-in for
 * Hadoop's {@code org.apache.hadoop.ipc.ProtocolInfo} (rpc-core's test-jar must not carry one: it
 * would shadow the real annotation in interop-hadoop).
 */
@Timeout(10)
class ProtocolNamesTest {
  interface Plain {}

  @ProtocolInfo(protocolName = "tusk.Named", protocolVersion = 1)
  interface TuskNamed {}

  @org.apache.hadoop.ipc.ProtocolInfo(protocolName = "hadoop.Named", protocolVersion = 1)
  interface HadoopNamed {}

  @ProtocolInfo(protocolName = "tusk.Wins")
  @org.apache.hadoop.ipc.ProtocolInfo(protocolName = "hadoop.Loses")
  interface BothNamed {}

  @org.apache.hadoop.ipc.ProtocolInfo(protocolName = "")
  interface HadoopEmpty {}

  @Test
  void tuskRulesReadOnlyTuskAnnotation() {
    assertThat(ProtocolNames.of(Plain.class)).isEqualTo(Plain.class.getName());
    assertThat(ProtocolNames.of(TuskNamed.class)).isEqualTo("tusk.Named");
    assertThat(ProtocolNames.of(HadoopNamed.class)).isEqualTo(HadoopNamed.class.getName());
    assertThat(RPC.getProtocolName(TuskNamed.class)).isEqualTo("tusk.Named");
    assertThat(RPC.getProtocolName(HadoopNamed.class)).isEqualTo(HadoopNamed.class.getName());
  }

  @Test
  void anyAnnotationFallsBackToHadoopsThenTheClassName() {
    assertThat(ProtocolNames.ofAnyAnnotation(HadoopNamed.class)).isEqualTo("hadoop.Named");
    assertThat(ProtocolNames.ofAnyAnnotation(BothNamed.class)).isEqualTo("tusk.Wins");
    assertThat(ProtocolNames.ofAnyAnnotation(TuskNamed.class)).isEqualTo("tusk.Named");
    assertThat(ProtocolNames.ofAnyAnnotation(HadoopEmpty.class))
        .isEqualTo(HadoopEmpty.class.getName());
    assertThat(ProtocolNames.ofAnyAnnotation(Plain.class)).isEqualTo(Plain.class.getName());
  }
}
