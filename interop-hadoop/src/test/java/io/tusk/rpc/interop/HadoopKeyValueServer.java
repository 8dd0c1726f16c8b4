package io.tusk.rpc.interop;

import io.tusk.rpc.interop.hadoopside.proto.KeyValueProtos.KeyValueService;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.ipc.ProtobufRpcEngine2;
import org.apache.hadoop.ipc.RPC;

/**
 * A real Hadoop 3.4.2 RPC server ({@code ProtobufRpcEngine2}) on 127.0.0.1, ephemeral port,
 * hosting the reference protocol as {@link HadoopKeyValueProtocolPB} over
 * {@link HadoopKeyValueService} (and, as every Hadoop RPC server, ProtocolMetaInfoPB).
 */
final class HadoopKeyValueServer implements AutoCloseable {
  final RPC.Server server;
  final InetSocketAddress address;
  final HadoopKeyValueService service = new HadoopKeyValueService();

  HadoopKeyValueServer() throws IOException {
    Configuration conf = new Configuration();
    RPC.setProtocolEngine(conf, HadoopKeyValueProtocolPB.class, ProtobufRpcEngine2.class);
    server = new RPC.Builder(conf)
        .setProtocol(HadoopKeyValueProtocolPB.class)
        .setInstance(KeyValueService.newReflectiveBlockingService(service))
        .setBindAddress("127.0.0.1")
        .setPort(0)
        .setNumHandlers(2)
        .build();
    server.start();
    address = new InetSocketAddress("127.0.0.1", server.getListenerAddress().getPort());
  }

  @Override
  public void close() throws InterruptedException {
    server.stop();
    server.join();
  }
}
