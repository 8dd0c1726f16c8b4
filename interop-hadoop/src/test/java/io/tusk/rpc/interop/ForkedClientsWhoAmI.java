package io.tusk.rpc.interop;

import io.tusk.rpc.RpcKind;
import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.security.UserIdentity;
import java.net.InetSocketAddress;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.ipc.HadoopIpcAccess;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * Runs in a JVM of its own (forked by {@link LoginUserInForkedJvmTest} with the environment and
 * system properties under test): asks a {@link HadoopEchoServer} on 127.0.0.1:PORT who the caller
 * is ({@code ugi:short} and {@code ugi}), once through Tusk's client with the default user and once
 * through Hadoop's, and prints each answer and each side's login user on a line
 * {@code RESULT key=value}; with a second port, also runs {@code tusk call 127.0.0.1:PORT2
 * --protocol KeyValueProtocolPB ping} (a {@link HadoopKeyValueServer} there records the caller)
 * and prints its exit code. Exits 0 when all calls worked.
 */
public final class ForkedClientsWhoAmI {
  private ForkedClientsWhoAmI() {}

  public static void main(String[] args) throws Exception {
    InetSocketAddress server = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0]));

    try (Client tusk = Client.builder().name("forked-tusk-client").build()) {
      ConnectionId remote = ConnectionId.of(server, EchoProtocol.class.getName());
      result("tusk.short", Writables.text(
          tusk.call(RpcKind.RPC_BUILTIN, Writables.payload("ugi:short"), remote)));
      result("tusk.ugi", Writables.text(
          tusk.call(RpcKind.RPC_BUILTIN, Writables.payload("ugi"), remote)));
    }
    result("tusk.login", UserIdentity.getLoginUser().toString());

    Configuration conf = new Configuration();
    conf.setInt("ipc.client.connect.max.retries", 0);
    org.apache.hadoop.ipc.Client hadoop =
        new org.apache.hadoop.ipc.Client(RawBytesWritable.class, conf);
    try {
      result("hadoop.short", Writables.text((RawBytesWritable) HadoopIpcAccess.call(hadoop,
          Writables.writable("ugi:short"),
          HadoopIpcAccess.connectionId(server, EchoProtocol.class, conf))));
      result("hadoop.ugi", Writables.text((RawBytesWritable) HadoopIpcAccess.call(hadoop,
          Writables.writable("ugi"),
          HadoopIpcAccess.connectionId(server, EchoProtocol.class, conf))));
    } finally {
      hadoop.stop();
    }
    result("hadoop.login", UserGroupInformation.getLoginUser().toString());
    if (args.length > 1) {
      int code = new io.tusk.rpc.examples.cli.Tusk().run(new String[] {"call",
          "127.0.0.1:" + args[1], "--protocol", io.tusk.rpc.examples.KeyValueProtocolPB.NAME,
          "ping"}, System.out, System.err);
      result("cli.exit", String.valueOf(code));
    }
    System.out.flush();
    System.exit(0);
  }

  private static void result(String key, String value) {
    System.out.println("RESULT " + key + "=" + value);
  }
}
