package io.tusk.rpc.client;

import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.conf.IpcKeys;
import java.time.Duration;
import java.util.Objects;

/**
 * Every setting of a {@link Client}, fixed when it is built. Build one with {@link #builder()} (or
 * {@link #toBuilder()} of an existing one) so that settings added later do not break your code;
 * {@link #fromConfiguration} reads them from {@code ipc.client.*} keys.
 *
 * @param connectTimeout how long one TCP connect attempt may take
 * @param maxConnectRetries connect attempts after the first before giving up
 * @param connectRetryInterval pause between connect attempts
 * @param rpcTimeout the default deadline of a call, blocking or asynchronous: it covers
 *     connecting, sending and waiting for the response; zero = no limit (then pings keep the
 *     connection checked)
 * @param pingInterval how often a connection with calls outstanding pings (call id -4)
 * @param pingEnabled whether to ping at all
 * @param maxIdleTime a connection with no calls outstanding for this long is closed
 * @param maxResponseLength largest response frame accepted
 * @param tcpNoDelay whether sockets disable Nagle's algorithm
 * @param sendQueueMaxBytes bytes of requests one connection may hold waiting for its socket
 *     (queued, or in a write that has not finished); a call that would go past it fails at once
 *     with an {@link java.io.IOException} naming the bound (one request always fits into an
 *     empty queue)
 */
public record ClientOptions(Duration connectTimeout, int maxConnectRetries,
    Duration connectRetryInterval, Duration rpcTimeout, Duration pingInterval,
    boolean pingEnabled, Duration maxIdleTime, int maxResponseLength, boolean tcpNoDelay,
    long sendQueueMaxBytes) {

  public ClientOptions {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(connectRetryInterval, "connectRetryInterval");
    Objects.requireNonNull(rpcTimeout, "rpcTimeout");
    Objects.requireNonNull(pingInterval, "pingInterval");
    Objects.requireNonNull(maxIdleTime, "maxIdleTime");
    require(!connectTimeout.isNegative() && !connectTimeout.isZero(),
        "connectTimeout must be positive");
    require(maxConnectRetries >= 0, "maxConnectRetries must be >= 0, got " + maxConnectRetries);
    require(!connectRetryInterval.isNegative(), "connectRetryInterval must be >= 0");
    require(!rpcTimeout.isNegative(), "rpcTimeout must be >= 0");
    require(!pingInterval.isNegative() && !pingInterval.isZero(), "pingInterval must be positive");
    require(!maxIdleTime.isNegative() && !maxIdleTime.isZero(), "maxIdleTime must be positive");
    require(maxResponseLength >= 1024, "maxResponseLength must be >= 1024");
    require(sendQueueMaxBytes >= 1, "sendQueueMaxBytes must be positive, got "
        + sendQueueMaxBytes + " (" + IpcKeys.CLIENT_SEND_QUEUE_MAX_BYTES + ")");
  }

  /**
   * The nine settings that came first, with the default send-queue bound. Kept so that code
   * written against it compiles; prefer {@link #builder()}.
   */
  public ClientOptions(Duration connectTimeout, int maxConnectRetries,
      Duration connectRetryInterval, Duration rpcTimeout, Duration pingInterval,
      boolean pingEnabled, Duration maxIdleTime, int maxResponseLength, boolean tcpNoDelay) {
    this(connectTimeout, maxConnectRetries, connectRetryInterval, rpcTimeout, pingInterval,
        pingEnabled, maxIdleTime, maxResponseLength, tcpNoDelay,
        IpcKeys.CLIENT_SEND_QUEUE_MAX_BYTES_DEFAULT);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Hadoop's defaults for every setting (Tusk's own for the ones Hadoop lacks). */
  public static ClientOptions defaults() {
    return fromConfiguration(new Configuration());
  }

  /** A builder holding {@link #defaults()}. */
  public static Builder builder() {
    return defaults().toBuilder();
  }

  /** A builder holding these settings, to change some of them. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** These settings with another {@link #rpcTimeout()}. */
  public ClientOptions withRpcTimeout(Duration rpcTimeout) {
    return toBuilder().rpcTimeout(rpcTimeout).build();
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
        conf.getBoolean(IpcKeys.CLIENT_TCPNODELAY, IpcKeys.CLIENT_TCPNODELAY_DEFAULT),
        conf.getLong(IpcKeys.CLIENT_SEND_QUEUE_MAX_BYTES,
            IpcKeys.CLIENT_SEND_QUEUE_MAX_BYTES_DEFAULT));
  }

  /** Collects settings for a {@link ClientOptions}; {@link #build()} checks them. */
  public static final class Builder {
    private Duration connectTimeout;
    private int maxConnectRetries;
    private Duration connectRetryInterval;
    private Duration rpcTimeout;
    private Duration pingInterval;
    private boolean pingEnabled;
    private Duration maxIdleTime;
    private int maxResponseLength;
    private boolean tcpNoDelay;
    private long sendQueueMaxBytes;

    private Builder(ClientOptions o) {
      connectTimeout = o.connectTimeout;
      maxConnectRetries = o.maxConnectRetries;
      connectRetryInterval = o.connectRetryInterval;
      rpcTimeout = o.rpcTimeout;
      pingInterval = o.pingInterval;
      pingEnabled = o.pingEnabled;
      maxIdleTime = o.maxIdleTime;
      maxResponseLength = o.maxResponseLength;
      tcpNoDelay = o.tcpNoDelay;
      sendQueueMaxBytes = o.sendQueueMaxBytes;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    public Builder maxConnectRetries(int maxConnectRetries) {
      this.maxConnectRetries = maxConnectRetries;
      return this;
    }

    public Builder connectRetryInterval(Duration connectRetryInterval) {
      this.connectRetryInterval = connectRetryInterval;
      return this;
    }

    public Builder rpcTimeout(Duration rpcTimeout) {
      this.rpcTimeout = rpcTimeout;
      return this;
    }

    public Builder pingInterval(Duration pingInterval) {
      this.pingInterval = pingInterval;
      return this;
    }

    public Builder pingEnabled(boolean pingEnabled) {
      this.pingEnabled = pingEnabled;
      return this;
    }

    public Builder maxIdleTime(Duration maxIdleTime) {
      this.maxIdleTime = maxIdleTime;
      return this;
    }

    public Builder maxResponseLength(int maxResponseLength) {
      this.maxResponseLength = maxResponseLength;
      return this;
    }

    public Builder tcpNoDelay(boolean tcpNoDelay) {
      this.tcpNoDelay = tcpNoDelay;
      return this;
    }

    public Builder sendQueueMaxBytes(long sendQueueMaxBytes) {
      this.sendQueueMaxBytes = sendQueueMaxBytes;
      return this;
    }

    /** @throws IllegalArgumentException naming the first setting out of range */
    public ClientOptions build() {
      return new ClientOptions(connectTimeout, maxConnectRetries, connectRetryInterval,
          rpcTimeout, pingInterval, pingEnabled, maxIdleTime, maxResponseLength, tcpNoDelay,
          sendQueueMaxBytes);
    }
  }
}
