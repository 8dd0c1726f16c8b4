package io.tusk.rpc.examples.readme;

import io.tusk.rpc.RPC;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.examples.readme.proto.GreeterProtos.GreeterService;
import io.tusk.rpc.protobuf.ProtobufRpcEngine;
import java.io.IOException;

/** Serves the greeter over the protobuf engine and calls it once. */
public final class ProtobufQuickstart {
  public static String run(String name) throws IOException {
    Configuration conf = new Configuration();
    RPC.setProtocolEngine(conf, GreeterProtocolPB.class, ProtobufRpcEngine.class);
    Greeter impl = who -> "Hello, " + who;
    try (RPC.Server server = new RPC.Builder(conf)
        .setProtocol(GreeterProtocolPB.class)
        .setInstance(GreeterService.newReflectiveBlockingService(
            new GreeterServerSideTranslatorPB(impl)))
        .setBindAddress("127.0.0.1").setPort(0).setNumHandlers(2)
        .build().start()) {
      GreeterProtocolPB proxy = RPC.getProxy(GreeterProtocolPB.class,
          RPC.getProtocolVersion(GreeterProtocolPB.class), server.getListenerAddress(), conf);
      try {
        return new GreeterClientSideTranslatorPB(proxy).hello(name);
      } finally {
        RPC.stopProxy(proxy);
      }
    }
  }

  public static void main(String[] args) throws IOException {
    System.out.println(run("Tusk")); // Hello, Tusk
  }
}
