package io.tusk.rpc.examples.cli;

import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.conf.IpcKeys;
import io.tusk.rpc.security.UserIdentity;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * The options and the client of the commands that talk to a server ({@code call}, {@code list}).
 *
 * <p>A command-line tool should fail fast: unlike a long-running client (Hadoop's defaults: 10
 * connect retries one second apart, no call timeout), it tries to connect {@code 1 + --retries}
 * times half a second apart and waits at most {@code --timeout} seconds for a connection and for
 * the answer, unless a configuration directory ({@code --conf-dir}, HADOOP_CONF_DIR) sets those
 * keys and the options are not given.
 *
 * <p>The user is Hadoop's: {@code --user NAME} if given, else the login user
 * ({@link UserIdentity#getLoginUser()}: the {@code HADOOP_USER_NAME} environment variable or
 * system property, else the OS account, optionally impersonating {@code HADOOP_PROXY_USER}).
 */
final class RemoteOptions {
  /** Thread-name prefix of the command-line client; tests check that none of its threads stays. */
  static final String CLIENT_NAME = "tusk-cli";

  static final int DEFAULT_TIMEOUT_SECONDS = 30;
  static final int DEFAULT_RETRIES = 2;
  static final Duration RETRY_INTERVAL = Duration.ofMillis(500);

  static final Option TIMEOUT = Option.value("SECONDS", "how long to wait to connect and for the"
      + " answer (default " + DEFAULT_TIMEOUT_SECONDS + ")", "--timeout");
  static final Option RETRIES = Option.value("N", "connect attempts after the first, "
      + RETRY_INTERVAL.toMillis() + " ms apart (default " + DEFAULT_RETRIES + ")", "--retries");

  static final Option USER = Option.value("NAME", "the user to call as (default: $"
      + UserIdentity.HADOOP_USER_NAME + ", else the OS user, as Hadoop's clients)", "--user");

  private final InetSocketAddress address;
  private final String hostPort;
  private final Duration timeout;
  private final int retries;
  /** The client's settings: {@code --conf-dir} (or HADOOP_CONF_DIR) with the options applied. */
  private final Configuration conf;
  private final UserIdentity user;

  private RemoteOptions(InetSocketAddress address, String hostPort, Duration timeout,
      int retries, Configuration conf, UserIdentity user) {
    this.address = address;
    this.hostPort = hostPort;
    this.timeout = timeout;
    this.retries = retries;
    this.conf = conf;
    this.user = user;
  }

  /**
   * Reads {@code --timeout}, {@code --retries}, {@code --user} and {@code --conf-dir} (or
   * HADOOP_CONF_DIR, see {@link ConfDir}) from {@code line}; {@code hostPort} is the
   * {@code HOST:PORT} argument.
   *
   * <p>The directory's client settings apply. Of the four keys this tool sets to fail fast
   * ({@link IpcKeys#CLIENT_CONNECT_TIMEOUT}, {@link IpcKeys#CLIENT_RPC_TIMEOUT_MS},
   * {@link IpcKeys#CLIENT_CONNECT_MAX_RETRIES}, {@link IpcKeys#CLIENT_CONNECT_RETRY_INTERVAL}),
   * an option given on the command line wins; without it, the directory's value wins over the
   * tool's default.
   *
   * @throws UsageException when an option or {@code hostPort} is malformed
   * @throws UnknownHostException when the host does not resolve (a failure, not a usage error)
   * @throws IOException when the configuration directory cannot be read
   */
  static RemoteOptions from(CommandLine line, String hostPort)
      throws UsageException, IOException {
    InetSocketAddress address = CommandLine.hostPort(hostPort);
    if (address.isUnresolved()) {
      throw new UnknownHostException("cannot resolve host " + address.getHostString());
    }
    Configuration conf = ConfDir.load(line);
    int seconds = line.intValue(TIMEOUT.name(), DEFAULT_TIMEOUT_SECONDS, 1, 86_400);
    int retries = line.intValue(RETRIES.name(), DEFAULT_RETRIES, 0, 100);
    String name = line.value(USER.name(), null);
    if (name != null && name.isBlank()) {
      throw new UsageException("--user needs a name");
    }
    UserIdentity user = name == null ? UserIdentity.getCurrentUser()
        : UserIdentity.createRemoteUser(name);
    int millis = (int) Duration.ofSeconds(seconds).toMillis();
    boolean timeoutGiven = line.has(TIMEOUT.name());
    setUnlessConfigured(conf, IpcKeys.CLIENT_CONNECT_TIMEOUT, millis, timeoutGiven);
    setUnlessConfigured(conf, IpcKeys.CLIENT_RPC_TIMEOUT_MS, millis, timeoutGiven);
    setUnlessConfigured(conf, IpcKeys.CLIENT_CONNECT_MAX_RETRIES, retries,
        line.has(RETRIES.name()));
    setUnlessConfigured(conf, IpcKeys.CLIENT_CONNECT_RETRY_INTERVAL,
        (int) RETRY_INTERVAL.toMillis(), false);
    int effectiveRetries = conf.getInt(IpcKeys.CLIENT_CONNECT_MAX_RETRIES, retries);
    int rpcTimeout = conf.getInt(IpcKeys.CLIENT_RPC_TIMEOUT_MS, millis);
    Duration callTimeout = rpcTimeout > 0 ? Duration.ofMillis(rpcTimeout)
        : Duration.ofSeconds(seconds);
    return new RemoteOptions(address, hostPort, callTimeout, effectiveRetries, conf, user);
  }

  /** Who the command calls as: {@code --user}, else the login user. */
  UserIdentity user() {
    return user;
  }

  private static void setUnlessConfigured(Configuration conf, String key, int value,
      boolean given) {
    if (given || conf.get(key) == null) {
      conf.setInt(key, value);
    }
  }

  /** The server's (resolved) address. */
  InetSocketAddress address() {
    return address;
  }

  /** How long a call may wait for its answer. */
  Duration timeout() {
    return timeout;
  }

  /**
   * The connection to the server for {@code protocol} (the connection context's protocol), as
   * {@link #user()}.
   */
  ConnectionId connection(String protocol) {
    return ConnectionId.of(address, protocol, user);
  }

  /** A new client with these settings, named {@link #CLIENT_NAME}; the caller closes it. */
  Client newClient() {
    return Client.builder().name(CLIENT_NAME).configuration(conf).build();
  }

  /**
   * A one-line failure for a server that could not be reached, naming it as the user wrote it:
   * {@code cannot connect to HOST:PORT: Connection refused (3 attempts)}.
   */
  IOException unreachable(ConnectException e) {
    Throwable reason = e.getCause() != null ? e.getCause() : e;
    int attempts = retries + 1;
    ConnectException failure = new ConnectException("cannot connect to " + hostPort + ": "
        + Tusk.describe(reason) + " (" + attempts + (attempts == 1 ? " attempt)" : " attempts)"));
    failure.initCause(e);
    return failure;
  }
}
