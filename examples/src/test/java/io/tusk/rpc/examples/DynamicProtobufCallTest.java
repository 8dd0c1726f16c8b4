package io.tusk.rpc.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import io.tusk.rpc.RemoteException;
import io.tusk.rpc.examples.proto.KeyValueProtos;
import io.tusk.rpc.examples.proto.KeyValueProtos.GetRequestProto;
import io.tusk.rpc.examples.proto.KeyValueProtos.ListKeysResponseProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.protobuf.DynamicProtobufCall;
import io.tusk.rpc.testing.LeakCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link DynamicProtobufCall} against the reference protocol over a loopback socket: dynamic
 * requests reach the real service, responses come back as dynamic messages of the output type.
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
class DynamicProtobufCallTest {
  private static final ServiceDescriptor SERVICE =
      KeyValueProtos.getDescriptor().findServiceByName("KeyValueService");

  private Loopback loop;

  @BeforeEach
  void start() throws IOException {
    loop = new Loopback();
  }

  @AfterEach
  void stop() throws IOException {
    if (loop != null) {
      loop.close();
    }
  }

  private DynamicMessage call(String methodName, Message request) throws IOException {
    MethodDescriptor method = SERVICE.findMethodByName(methodName);
    return DynamicProtobufCall.call(loop.client, loop.remote(), KeyValueProtocolPB.NAME,
        KeyValueProtocolPB.VERSION, method, request, Duration.ofSeconds(30));
  }

  private static DynamicMessage.Builder request(String methodName) {
    return DynamicMessage.newBuilder(SERVICE.findMethodByName(methodName).getInputType());
  }

  private static DynamicMessage.Builder set(DynamicMessage.Builder builder, String field,
      Object value) {
    Descriptor type = builder.getDescriptorForType();
    return builder.setField(type.findFieldByName(field), value);
  }

  @Test
  void dynamicPutIsVisibleToTheTypedClientAndDynamicGetReturnsIt() throws IOException {
    ByteString one = ByteString.copyFromUtf8("one");
    DynamicMessage put = call("put", set(set(request("put"), "key", "k"), "value", one).build());
    assertThat(put.getDescriptorForType().getFullName()).isEqualTo(
        "tusk.examples.PutResponseProto");
    assertThat(put.getAllFields()).isEmpty();

    assertThat(loop.kv.get("k")).isEqualTo("one".getBytes(StandardCharsets.UTF_8));
    DynamicMessage get = call("get", set(request("get"), "key", "k").build());
    assertThat(get.getField(get.getDescriptorForType().findFieldByName("value"))).isEqualTo(one);
  }

  @Test
  void acceptsGeneratedRequestsAndReturnsTheSameBytesAsTheProxy() throws IOException {
    loop.kv.put("b", new byte[] {2});
    loop.kv.put("a", new byte[] {1});
    DynamicMessage keys = DynamicProtobufCall.call(loop.client, loop.remote(),
        KeyValueProtocolPB.NAME, KeyValueProtocolPB.VERSION, SERVICE.findMethodByName("listKeys"),
        KeyValueProtos.ListKeysRequestProto.getDefaultInstance());
    assertThat(ListKeysResponseProto.parseFrom(keys.toByteString()).getKeysList())
        .containsExactly("a", "b");
  }

  @Test
  void remoteErrorsArriveAsRemoteExceptions() {
    assertThatThrownBy(() -> call("get", set(request("get"), "key", "missing").build()))
        .isInstanceOfSatisfying(RemoteException.class, e -> {
          assertThat(e.getClassName()).isEqualTo(KeyNotFoundException.class.getName());
          assertThat(e.getMessage()).contains("missing");
          assertThat(e.getErrorCode()).isEqualTo(RpcErrorCodeProto.ERROR_APPLICATION);
        });
  }

  @Test
  void unknownVersionIsRejectedByTheServer() {
    assertThatThrownBy(() -> DynamicProtobufCall.call(loop.client, loop.remote(),
        KeyValueProtocolPB.NAME, 7, SERVICE.findMethodByName("ping"),
        request("ping").build())).isInstanceOf(RemoteException.class);
  }

  @Test
  void rejectsARequestOfAnotherType() {
    assertThatThrownBy(() -> call("get", request("put").buildPartial()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tusk.examples.GetRequestProto")
        .hasMessageContaining("tusk.examples.PutRequestProto");
    assertThatThrownBy(() -> call("get", GetRequestProto.newBuilder().setKey("k").build()))
        .isInstanceOf(RemoteException.class); // the type is right; the key is missing
  }
}
