package io.tusk.rpc.writable;

import io.tusk.rpc.ProtocolInfo;
import io.tusk.rpc.RPC;
import io.tusk.rpc.conf.Configuration;
import java.io.IOException;

/**
 * The server of {@link HostileWritableRequestTest}, run in a JVM of its own (with a small heap):
 * hosts {@link Echo} with the Writable engine on 127.0.0.1 and an ephemeral port, prints
 * {@code PORT <port>} and {@code MAX_HEAP <bytes>} on stdout, and runs until its stdin closes.
 */
public final class HostileTargetServer {

  /** The one protocol it hosts. */
  @ProtocolInfo(protocolName = Echo.NAME, protocolVersion = Echo.VERSION)
  public interface Echo {
    String NAME = "tusk.test.HostileEcho";
    long VERSION = 1;

    String echo(String text) throws IOException;
  }

  private HostileTargetServer() {}

  /** Starts the server; returns when stdin reaches its end (the parent closed it or died). */
  public static void main(String[] args) throws IOException, InterruptedException {
    Echo echo = text -> text;
    try (RPC.Server server = new RPC.Builder(new Configuration()).setProtocol(Echo.class)
        .setInstance(echo).setBindAddress("127.0.0.1").setPort(0).setNumHandlers(2)
        .setName("hostile").build().start()) {
      System.out.println("MAX_HEAP " + Runtime.getRuntime().maxMemory());
      System.out.println("PORT " + server.getPort());
      System.out.flush();
      while (System.in.read() >= 0) {
        // nothing: the parent never writes, it only closes
      }
    }
  }
}
