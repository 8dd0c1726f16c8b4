package io.tusk.rpc.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.NamedRequest;
import io.tusk.rpc.proto.ProtobufEngineProtos.RequestHeaderProto;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a decoded protobuf request tells the server's metrics and interceptors. */
@Timeout(10)
class ProtobufRequestTest {
  @Test
  void namesTheHeadersMethodAndDeclaringProtocol() {
    NamedRequest request = new ProtobufRequest(RequestHeaderProto.newBuilder()
        .setMethodName("get").setDeclaringClassProtocolName("tusk.example.KeyValue")
        .setClientProtocolVersion(1).build(), ByteBuffer.allocate(0), null);

    assertThat(request.methodName()).isEqualTo("get");
    assertThat(request.protocolName()).isEqualTo("tusk.example.KeyValue");
  }

  @Test
  void aMalformedHeaderNamesNoProtocol() {
    NamedRequest request = new ProtobufRequest(null, ByteBuffer.allocate(0),
        new MalformedRequestException("truncated"));

    assertThat(request.methodName()).isEqualTo("RPC_PROTOCOL_BUFFER");
    assertThat(request.protocolName()).isNull();
  }
}
