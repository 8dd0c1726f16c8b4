package io.tusk.rpc.interop;

import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.ipc.RPC;
import org.apache.hadoop.ipc.Server;

/**
 * A real Hadoop IPC server (RPC_BUILTIN, {@link RawBytesWritable} parameters) that echoes what it gets,
 * or throws {@link FileNotFoundException} when the bytes start with {@code "throw:"} — the Hadoop
 * twin of Tusk's test EchoEngine.
 */
final class HadoopEchoServer extends Server {
  volatile String lastUser;
  volatile String lastProtocol;

  HadoopEchoServer(Configuration conf) throws IOException {
    super("127.0.0.1", 0, RawBytesWritable.class, 2, conf);
  }

  @Override
  public Writable call(RPC.RpcKind rpcKind, String protocol, Writable param, long receiveTime)
      throws Exception {
    lastProtocol = protocol;
    lastUser = Server.getRemoteUser() == null ? null : Server.getRemoteUser().getUserName();
    RawBytesWritable bytes = (RawBytesWritable) param;
    String text = bytes.text();
    if (text.startsWith("throw:")) {
      throw new FileNotFoundException(text.substring("throw:".length()));
    }
    return bytes;
  }
}
