package org.apache.hadoop.ipc;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * Reaches the package-private corners of Hadoop's IPC that its own tests use (TestIPC does the same
 * from this package): building a {@link Client.ConnectionId} for a raw {@link Client} call.
 */
public final class HadoopIpcAccess {
  private HadoopIpcAccess() {}

  /** A connection id for the current user, no RPC timeout, Hadoop's default retry policy. */
  public static Client.ConnectionId connectionId(InetSocketAddress address, Class<?> protocol,
      Configuration conf) throws IOException {
    return Client.ConnectionId.getConnectionId(address, protocol,
        UserGroupInformation.getCurrentUser(), 0, null, conf);
  }

  /** Hadoop's RPC_BUILTIN call on {@code client}, the way TestIPC makes it. */
  public static Writable call(Client client, Writable request, Client.ConnectionId id)
      throws IOException {
    return client.call(RPC.RpcKind.RPC_BUILTIN, request, id, null);
  }

  /** The same call with another RpcKind, to see how a server treats kinds it does not host. */
  public static Writable call(Client client, RPC.RpcKind kind, Writable request,
      Client.ConnectionId id) throws IOException {
    return client.call(kind, request, id, null);
  }
}
