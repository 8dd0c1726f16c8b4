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
 * twin of Tusk's test EchoEngine. {@code "ugi"} answers the caller as Hadoop's handler sees it,
 * {@code Server.getRemoteUser().toString()} (e.g. {@code alice (auth:PROXY) via root (auth:SIMPLE)}),
 * and {@code "ugi:short"} its {@code getShortUserName()}.
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
    if (text.equals("ugi") || text.equals("ugi:short")) {
      org.apache.hadoop.security.UserGroupInformation caller = Server.getRemoteUser();
      return new RawBytesWritable(caller == null ? "(none)"
          : text.equals("ugi") ? caller.toString() : caller.getShortUserName());
    }
    if (text.startsWith("throw:")) {
      throw new FileNotFoundException(text.substring("throw:".length()));
    }
    return bytes;
  }
}
