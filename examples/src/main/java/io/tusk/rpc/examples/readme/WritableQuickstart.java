package io.tusk.rpc.examples.readme;

import io.tusk.rpc.RPC;
import io.tusk.rpc.conf.Configuration;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Serves a counter over the Writable engine (the default) and calls it twice. */
public final class WritableQuickstart {
  public static long run() throws IOException {
    Configuration conf = new Configuration();
    Map<String, Long> counts = new ConcurrentHashMap<>();
    Counter impl = (name, delta) -> counts.merge(name, delta, Long::sum);
    try (RPC.Server server = new RPC.Builder(conf)
        .setProtocol(Counter.class).setInstance(impl)
        .setBindAddress("127.0.0.1").setPort(0).setNumHandlers(2)
        .build().start()) {
      Counter counter = RPC.getProxy(Counter.class, 1, server.getListenerAddress(), conf);
      try {
        counter.increment("calls", 40);
        return counter.increment("calls", 2);
      } finally {
        RPC.stopProxy(counter);
      }
    }
  }

  public static void main(String[] args) throws IOException {
    System.out.println(run()); // 42
  }
}
