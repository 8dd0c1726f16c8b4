package io.tusk.rpc.examples.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.ServiceException;
import io.tusk.rpc.RPC;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.examples.Calculator;
import io.tusk.rpc.examples.bench.proto.BenchmarkProtos.EchoRequestProto;
import io.tusk.rpc.protobuf.ProtobufHelper;
import io.tusk.rpc.protobuf.ProtobufRpcEngine;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * The RPC engines {@code tusk bench -e} can load, each with the echo call it makes:
 * {@link #WRITABLE} calls {@link Calculator#echo(byte[])}, {@link #PROTOBUF} calls
 * {@link BenchmarkProtocolPB#echo}. Both are served by {@link BenchServer}.
 */
public enum BenchEngine {
  /** Hadoop's WritableRpcEngine: arguments and results as ObjectWritables. */
  WRITABLE(Calculator.class) {
    @Override
    EchoCall newCall(Object proxy, byte[] payload) {
      Calculator calculator = (Calculator) proxy;
      return () -> check(calculator.echo(payload).length, payload.length);
    }
  },
  /** Hadoop's ProtobufRpcEngine2: protobuf requests and responses. */
  PROTOBUF(BenchmarkProtocolPB.class) {
    @Override
    EchoCall newCall(Object proxy, byte[] payload) {
      BenchmarkProtocolPB pb = (BenchmarkProtocolPB) proxy;
      EchoRequestProto request =
          EchoRequestProto.newBuilder().setPayload(ByteString.copyFrom(payload)).build();
      return () -> {
        try {
          check(pb.echo(null, request).getPayload().size(), payload.length);
        } catch (ServiceException e) {
          throw ProtobufHelper.getRemoteException(e);
        }
      };
    }
  };

  /** One echo call with a fixed payload; checks that the answer has the payload's size. */
  @FunctionalInterface
  public interface EchoCall {
    /** Makes the call once and waits for its answer. */
    void call() throws IOException;
  }

  private final Class<?> protocol;

  BenchEngine(Class<?> protocol) {
    this.protocol = protocol;
  }

  /** The engine called {@code name} ({@code writable} or {@code protobuf}), or null. */
  public static BenchEngine byName(String name) {
    for (BenchEngine engine : values()) {
      if (engine.cliName().equals(name)) {
        return engine;
      }
    }
    return null;
  }

  /** The name on the command line, e.g. {@code protobuf}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The protocol interface this engine's echo call belongs to. */
  public Class<?> protocol() {
    return protocol;
  }

  /**
   * A proxy of {@link #protocol()} on {@code address} carried by {@code client}, made by the engine
   * that {@link #configuration()} chooses for it. The proxy does not own {@code client}; close it
   * with {@link #stopProxy} before closing the client.
   */
  public Object newProxy(Client client, InetSocketAddress address) throws IOException {
    ConnectionId remote = ConnectionId.of(address, RPC.getProtocolName(protocol));
    return RPC.getProtocolEngine(protocol, configuration())
        .getProxy(protocol, RPC.getProtocolVersion(protocol), remote, client);
  }

  /** Stops a proxy made by {@link #newProxy} (a no-op for engines whose proxies hold nothing). */
  public static void stopProxy(Object proxy) throws IOException {
    if (proxy instanceof Closeable closeable) {
      closeable.close();
    }
  }

  /** The echo call of this engine over {@code proxy} (made by {@link #newProxy}). */
  abstract EchoCall newCall(Object proxy, byte[] payload);

  /**
   * Settings in which {@link BenchmarkProtocolPB} uses the protobuf engine; {@link Calculator}
   * keeps the default, Writable one.
   */
  static Configuration configuration() {
    return configuration(new Configuration());
  }

  /** {@link #configuration()} over a copy of {@code settings}. */
  static Configuration configuration(Configuration settings) {
    Configuration conf = new Configuration(settings);
    RPC.setProtocolEngine(conf, BenchmarkProtocolPB.class, ProtobufRpcEngine.class);
    return conf;
  }

  private static void check(int answered, int sent) throws IOException {
    if (answered != sent) {
      throw new IOException("echo answered " + answered + " bytes for " + sent);
    }
  }
}
