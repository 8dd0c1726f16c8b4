package io.tusk.rpc.examples.readme;

import com.google.protobuf.RpcController;
import com.google.protobuf.ServiceException;
import io.tusk.rpc.examples.readme.proto.GreeterProtos.HelloRequestProto;
import io.tusk.rpc.examples.readme.proto.GreeterProtos.HelloResponseProto;
import java.io.IOException;

/** Server side: protobuf request in, plain call, protobuf response out. */
public final class GreeterServerSideTranslatorPB implements GreeterProtocolPB {
  private final Greeter greeter;

  public GreeterServerSideTranslatorPB(Greeter greeter) {
    this.greeter = greeter;
  }

  @Override
  public HelloResponseProto hello(RpcController controller, HelloRequestProto request)
      throws ServiceException {
    try {
      String greeting = greeter.hello(request.getName());
      return HelloResponseProto.newBuilder().setGreeting(greeting).build();
    } catch (IOException e) {
      throw new ServiceException(e); // the client sees e's class and message
    }
  }
}
