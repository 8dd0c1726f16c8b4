package io.tusk.rpc.examples.readme;

import static io.tusk.rpc.protobuf.ProtobufHelper.ipc;

import io.tusk.rpc.examples.readme.proto.GreeterProtos.HelloRequestProto;
import java.io.IOException;

/** Client side: plain call in, protobuf request over the proxy, plain answer out. */
public final class GreeterClientSideTranslatorPB implements Greeter {
  private final GreeterProtocolPB proxy;

  public GreeterClientSideTranslatorPB(GreeterProtocolPB proxy) {
    this.proxy = proxy;
  }

  @Override
  public String hello(String name) throws IOException {
    HelloRequestProto request = HelloRequestProto.newBuilder().setName(name).build();
    return ipc(() -> proxy.hello(null, request)).getGreeting(); // ServiceException -> IOException
  }
}
