package io.tusk.rpc.client;

import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.conf.IpcKeys;
import java.time.Duration;

/**
 * Every setting of a {@link Client}, fixed when it is built.
 *
 * @param connectTimeout how long one TCP connect attempt may take
 * @param maxConnectRetries connect attempts after the first before giving up
 * @param connectRetryInterval pause between connect attempts
 * @param rpcTimeout how long a blocking call waits for its response; zero = no limit (then
 *     pings keep the connection checked)
 * @param pingInterval how often a connection with calls outstanding pings (call id -4)
 * @param pingEnabled whether to ping at all
 * @param maxIdleTime a connection with no calls outstanding for this long is closed
 * @param maxResponseLength largest response frame accepted
 * @param tcpNoDelay whether sockets disable Nagle's algorithm
 */
public record ClientOptions(Duration connectTimeout, int maxConnectRetries,
    Duration connectRetryInterval, Duration rpcTimeout, Duration pingInterval,
    boolean pingEnabled, Duration maxIdleTime, int maxResponseLength, boolean tcpNoDelay) {

  public ClientOptions {
    require(!connectTimeout.isNegative() && !connectTimeout.isZero(),
        "connectTimeout must be positive");
    require(maxConnectRetries >= 0, "maxConnectRetries must be >= 0, got " + maxConnectRetries);
    require(!connectRetryInterval.isNegative(), "connectRetryInterval must be >= 0");
    require(!rpcTimeout.isNegative(), "rpcTimeout must be >= 0");
    require(!pingInterval.isNegative() && !pingInterval.isZero(), "pingInterval must be positive");
    require(!maxIdleTime.isNegative() && !maxIdleTime.isZero(), "maxIdleTime must be positive");
    require(maxResponseLength >= 1024, "maxResponseLength must be >= 1024");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Hadoop's defaults for every setting. */
  public static ClientOptions defaults() {
    return fromConfiguration(new Configuration());
  }

  /** Reads the {@code ipc.client.*} keys (see {@link IpcKeys}). */
  public static ClientOptions fromConfiguration(Configuration conf) {
    return new ClientOptions(
        Duration.ofMillis(conf.getInt(IpcKeys.CLIENT_CONNECT_TIMEOUT,
            IpcKeys.CLIENT_CONNECT_TIMEOUT_DEFAULT)),
        conf.getInt(IpcKeys.CLIENT_CONNECT_MAX_RETRIES, IpcKeys.CLIENT_CONNECT_MAX_RETRIES_DEFAULT),
        Duration.ofMillis(conf.getInt(IpcKeys.CLIENT_CONNECT_RETRY_INTERVAL,
            IpcKeys.CLIENT_CONNECT_RETRY_INTERVAL_DEFAULT)),
        Duration.ofMillis(conf.getInt(IpcKeys.CLIENT_RPC_TIMEOUT_MS,
            IpcKeys.CLIENT_RPC_TIMEOUT_MS_DEFAULT)),
        Duration.ofMillis(conf.getInt(IpcKeys.PING_INTERVAL, IpcKeys.PING_INTERVAL_DEFAULT)),
        conf.getBoolean(IpcKeys.CLIENT_PING, IpcKeys.CLIENT_PING_DEFAULT),
        Duration.ofMillis(conf.getInt(IpcKeys.CLIENT_CONNECTION_MAXIDLETIME,
            IpcKeys.CLIENT_CONNECTION_MAXIDLETIME_DEFAULT)),
        conf.getInt(IpcKeys.CLIENT_MAX_RESPONSE_LENGTH, IpcKeys.CLIENT_MAX_RESPONSE_LENGTH_DEFAULT),
        conf.getBoolean(IpcKeys.CLIENT_TCPNODELAY, IpcKeys.CLIENT_TCPNODELAY_DEFAULT));
  }
}
