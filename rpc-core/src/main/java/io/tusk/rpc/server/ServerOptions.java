package io.tusk.rpc.server;

import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.conf.IpcKeys;
import java.time.Duration;

/**
 * Every setting of a {@link Server}, fixed when it is built.
 *
 * @param bindAddress host or IP to listen on
 * @param port port to listen on; 0 picks a free one
 * @param handlerCount threads that run calls
 * @param readerCount threads that read and decode requests, each with its own selector
 * @param queueSizePerHandler call queue capacity = handlerCount x this
 * @param maxFrameLength largest request frame accepted ({@code ipc.maximum.data.length})
 * @param maxConnections connections accepted at once; 0 = unlimited
 * @param listenBacklog TCP accept backlog
 * @param idleTimeout a set-up connection stalled this long in the middle of a request frame is
 *     closed ({@code tusk.server.connection.idle-timeout.ms}; idle connections follow
 *     {@code idleScan} instead)
 * @param setupTimeout a connection must send its preamble and connection context within this time
 * @param requestBufferBytes server-wide cap on bytes held by received request frames
 * @param tcpNoDelay whether accepted sockets disable Nagle's algorithm
 * @param shutdownGrace how long close() lets queued and running calls finish
 * @param logSlowCalls whether calls much slower than the average are logged
 * @param slowCallThreshold a call is only logged as slow when it also took longer than this
 * @param slowCallMinSamples calls seen before the average is trusted for the slow-call log
 * @param responseBufferBytes server-wide cap on response bytes queued for clients that do not
 *     read them as fast as they are produced; while it is spent, connections with queued
 *     responses stop reading
 * @param writeHighWaterMark a connection with more response bytes queued stops reading requests
 * @param writeLowWaterMark ... and reads again once they drop to this
 * @param writeStallTimeout a connection with queued responses of which nothing could be written
 *     for this long is closed, in any state, whatever the peer keeps sending
 * @param idleScan when set-up idle connections are closed: Hadoop's rules (see {@link IdleScan})
 * @param errorStackTraces whether ERROR answers to failed calls carry the stack trace in
 *     {@code errorMsg} as Hadoop's do ({@code tusk.server.error.stack-traces}, default off)
 */
public record ServerOptions(String bindAddress, int port, int handlerCount, int readerCount,
    int queueSizePerHandler, int maxFrameLength, int maxConnections, int listenBacklog,
    Duration idleTimeout, Duration setupTimeout, long requestBufferBytes, boolean tcpNoDelay,
    Duration shutdownGrace, boolean logSlowCalls, Duration slowCallThreshold,
    long slowCallMinSamples, long responseBufferBytes, long writeHighWaterMark,
    long writeLowWaterMark, Duration writeStallTimeout, IdleScan idleScan,
    boolean errorStackTraces) {

  public ServerOptions {
    require(port >= 0 && port <= 65535, "port must be 0..65535, got " + port);
    require(handlerCount >= 1, "handlerCount must be >= 1, got " + handlerCount);
    require(readerCount >= 1, "readerCount must be >= 1, got " + readerCount);
    require(queueSizePerHandler >= 1, "queueSizePerHandler must be >= 1, got "
        + queueSizePerHandler);
    require(maxFrameLength >= 1024, "maxFrameLength must be >= 1024, got " + maxFrameLength);
    require(maxConnections >= 0, "maxConnections must be >= 0, got " + maxConnections);
    require(requestBufferBytes > 0, "requestBufferBytes must be > 0, got " + requestBufferBytes);
    require(!idleTimeout.isNegative() && !idleTimeout.isZero(), "idleTimeout must be positive");
    require(!setupTimeout.isNegative() && !setupTimeout.isZero(), "setupTimeout must be positive");
    require(!slowCallThreshold.isNegative(), "slowCallThreshold must be >= 0");
    require(slowCallMinSamples >= 0, "slowCallMinSamples must be >= 0");
    require(responseBufferBytes > 0, "responseBufferBytes must be > 0, got "
        + responseBufferBytes);
    require(writeLowWaterMark >= 0 && writeLowWaterMark <= writeHighWaterMark,
        "water marks must satisfy 0 <= low <= high, got low " + writeLowWaterMark + ", high "
            + writeHighWaterMark);
    require(!writeStallTimeout.isNegative() && !writeStallTimeout.isZero(),
        "writeStallTimeout must be positive");
    require(idleScan != null, "idleScan must not be null");
  }

  /**
   * How the server closes idle connections that finished setup, as Hadoop's server does: every
   * {@code scanInterval}, while at least {@code threshold} connections are open, it closes
   * connections with no call in progress and nothing queued on which nothing happened for longer
   * than {@code idleTime}, at most {@code killMax} per scan (0 or less: no limit), stopping as
   * soon as fewer than {@code threshold} are open. Read from {@code ipc.client.idlethreshold},
   * twice {@code ipc.client.connection.maxidletime}, {@code
   * ipc.client.connection.idle-scan-interval.ms} and {@code ipc.client.kill.max}.
   *
   * @param threshold open connections from which on idle ones are closed; 0 = always
   * @param idleTime how long a connection must have been idle (Hadoop: 2 x maxidletime)
   * @param scanInterval time between scans, on the server's ticker
   * @param killMax connections closed per scan at most; 0 or less = no limit (as Hadoop)
   */
  public record IdleScan(int threshold, Duration idleTime, Duration scanInterval, int killMax) {
    public IdleScan {
      require(threshold >= 0, "idle threshold must be >= 0, got " + threshold);
      require(idleTime != null && !idleTime.isNegative(), "idleTime must be >= 0");
      require(scanInterval != null && !scanInterval.isNegative() && !scanInterval.isZero(),
          "scanInterval must be positive");
    }

    /** Hadoop's keys, Hadoop's defaults (4000 connections, 20 s, every 10 s, 10 per scan). */
    public static IdleScan fromConfiguration(Configuration conf) {
      long maxIdle = conf.getLong(IpcKeys.CLIENT_CONNECTION_MAXIDLETIME,
          IpcKeys.CLIENT_CONNECTION_MAXIDLETIME_DEFAULT);
      return new IdleScan(
          conf.getInt(IpcKeys.CLIENT_IDLETHRESHOLD, IpcKeys.CLIENT_IDLETHRESHOLD_DEFAULT),
          Duration.ofMillis(2 * maxIdle),
          Duration.ofMillis(conf.getLong(IpcKeys.CLIENT_CONNECTION_IDLESCANINTERVAL,
              IpcKeys.CLIENT_CONNECTION_IDLESCANINTERVAL_DEFAULT)),
          conf.getInt(IpcKeys.CLIENT_KILL_MAX, IpcKeys.CLIENT_KILL_MAX_DEFAULT));
    }
  }

  /**
   * The settings before {@code errorStackTraces} existed, with it off: kept so that code calling
   * the earlier canonical constructor still compiles.
   */
  public ServerOptions(String bindAddress, int port, int handlerCount, int readerCount,
      int queueSizePerHandler, int maxFrameLength, int maxConnections, int listenBacklog,
      Duration idleTimeout, Duration setupTimeout, long requestBufferBytes, boolean tcpNoDelay,
      Duration shutdownGrace, boolean logSlowCalls, Duration slowCallThreshold,
      long slowCallMinSamples, long responseBufferBytes, long writeHighWaterMark,
      long writeLowWaterMark, Duration writeStallTimeout, IdleScan idleScan) {
    this(bindAddress, port, handlerCount, readerCount, queueSizePerHandler, maxFrameLength,
        maxConnections, listenBacklog, idleTimeout, setupTimeout, requestBufferBytes, tcpNoDelay,
        shutdownGrace, logSlowCalls, slowCallThreshold, slowCallMinSamples, responseBufferBytes,
        writeHighWaterMark, writeLowWaterMark, writeStallTimeout, idleScan,
        IpcKeys.SERVER_ERROR_STACK_TRACES_DEFAULT);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Defaults for every setting, listening on 127.0.0.1 on an ephemeral port. */
  public static ServerOptions defaults() {
    return fromConfiguration(new Configuration());
  }

  /** Reads the {@code ipc.*} / {@code tusk.server.*} keys (see {@link IpcKeys}). */
  public static ServerOptions fromConfiguration(Configuration conf) {
    long buffer = conf.getLong(IpcKeys.SERVER_REQUEST_BUFFER_BYTES,
        IpcKeys.SERVER_REQUEST_BUFFER_BYTES_DEFAULT);
    if (buffer == 0) {
      buffer = Runtime.getRuntime().maxMemory() / 4;
    }
    long responses = conf.getLong(IpcKeys.SERVER_RESPONSE_BUFFER_BYTES,
        IpcKeys.SERVER_RESPONSE_BUFFER_BYTES_DEFAULT);
    if (responses == 0) {
      responses = Runtime.getRuntime().maxMemory() / 4;
    }
    return new ServerOptions("127.0.0.1", 0,
        conf.getInt(IpcKeys.SERVER_HANDLER_COUNT, IpcKeys.SERVER_HANDLER_COUNT_DEFAULT),
        conf.getInt(IpcKeys.SERVER_READ_THREADPOOL_SIZE,
            IpcKeys.SERVER_READ_THREADPOOL_SIZE_DEFAULT),
        conf.getInt(IpcKeys.SERVER_HANDLER_QUEUE_SIZE, IpcKeys.SERVER_HANDLER_QUEUE_SIZE_DEFAULT),
        conf.getInt(IpcKeys.MAXIMUM_DATA_LENGTH, IpcKeys.MAXIMUM_DATA_LENGTH_DEFAULT),
        conf.getInt(IpcKeys.SERVER_MAX_CONNECTIONS, IpcKeys.SERVER_MAX_CONNECTIONS_DEFAULT),
        conf.getInt(IpcKeys.SERVER_LISTEN_QUEUE_SIZE, IpcKeys.SERVER_LISTEN_QUEUE_SIZE_DEFAULT),
        Duration.ofMillis(conf.getLong(IpcKeys.SERVER_IDLE_TIMEOUT_MS,
            IpcKeys.SERVER_IDLE_TIMEOUT_MS_DEFAULT)),
        Duration.ofMillis(conf.getLong(IpcKeys.SERVER_SETUP_TIMEOUT_MS,
            IpcKeys.SERVER_SETUP_TIMEOUT_MS_DEFAULT)),
        buffer,
        conf.getBoolean(IpcKeys.SERVER_TCPNODELAY, IpcKeys.SERVER_TCPNODELAY_DEFAULT),
        Duration.ofMillis(conf.getLong(IpcKeys.SERVER_SHUTDOWN_GRACE_MS,
            IpcKeys.SERVER_SHUTDOWN_GRACE_MS_DEFAULT)),
        conf.getBoolean(IpcKeys.SERVER_LOG_SLOW_RPC, IpcKeys.SERVER_LOG_SLOW_RPC_DEFAULT),
        Duration.ofMillis(conf.getLong(IpcKeys.SERVER_LOG_SLOW_RPC_THRESHOLD_MS,
            IpcKeys.SERVER_LOG_SLOW_RPC_THRESHOLD_MS_DEFAULT)),
        conf.getLong(IpcKeys.SERVER_LOG_SLOW_RPC_MIN_SAMPLES,
            IpcKeys.SERVER_LOG_SLOW_RPC_MIN_SAMPLES_DEFAULT),
        responses,
        conf.getLong(IpcKeys.SERVER_WRITE_HIGH_WATER_MARK,
            IpcKeys.SERVER_WRITE_HIGH_WATER_MARK_DEFAULT),
        conf.getLong(IpcKeys.SERVER_WRITE_LOW_WATER_MARK,
            IpcKeys.SERVER_WRITE_LOW_WATER_MARK_DEFAULT),
        Duration.ofMillis(conf.getLong(IpcKeys.SERVER_WRITE_STALL_TIMEOUT_MS,
            IpcKeys.SERVER_WRITE_STALL_TIMEOUT_MS_DEFAULT)),
        IdleScan.fromConfiguration(conf),
        conf.getBoolean(IpcKeys.SERVER_ERROR_STACK_TRACES,
            IpcKeys.SERVER_ERROR_STACK_TRACES_DEFAULT));
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Changes some settings of a {@link ServerOptions}; {@link #build()} validates them all. Start
   * from {@link ServerOptions#toBuilder()} (for example of {@link #defaults()} or of
   * {@link #fromConfiguration}). Setter names are the record's component names.
   */
  public static final class Builder {
    private String bindAddress;
    private int port;
    private int handlerCount;
    private int readerCount;
    private int queueSizePerHandler;
    private int maxFrameLength;
    private int maxConnections;
    private int listenBacklog;
    private Duration idleTimeout;
    private Duration setupTimeout;
    private long requestBufferBytes;
    private boolean tcpNoDelay;
    private Duration shutdownGrace;
    private boolean logSlowCalls;
    private Duration slowCallThreshold;
    private long slowCallMinSamples;
    private long responseBufferBytes;
    private long writeHighWaterMark;
    private long writeLowWaterMark;
    private Duration writeStallTimeout;
    private IdleScan idleScan;
    private boolean errorStackTraces;

    private Builder(ServerOptions o) {
      bindAddress = o.bindAddress;
      port = o.port;
      handlerCount = o.handlerCount;
      readerCount = o.readerCount;
      queueSizePerHandler = o.queueSizePerHandler;
      maxFrameLength = o.maxFrameLength;
      maxConnections = o.maxConnections;
      listenBacklog = o.listenBacklog;
      idleTimeout = o.idleTimeout;
      setupTimeout = o.setupTimeout;
      requestBufferBytes = o.requestBufferBytes;
      tcpNoDelay = o.tcpNoDelay;
      shutdownGrace = o.shutdownGrace;
      logSlowCalls = o.logSlowCalls;
      slowCallThreshold = o.slowCallThreshold;
      slowCallMinSamples = o.slowCallMinSamples;
      responseBufferBytes = o.responseBufferBytes;
      writeHighWaterMark = o.writeHighWaterMark;
      writeLowWaterMark = o.writeLowWaterMark;
      writeStallTimeout = o.writeStallTimeout;
      idleScan = o.idleScan;
      errorStackTraces = o.errorStackTraces;
    }

    public Builder bindAddress(String bindAddress) {
      this.bindAddress = bindAddress;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder handlerCount(int handlerCount) {
      this.handlerCount = handlerCount;
      return this;
    }

    public Builder readerCount(int readerCount) {
      this.readerCount = readerCount;
      return this;
    }

    public Builder queueSizePerHandler(int queueSizePerHandler) {
      this.queueSizePerHandler = queueSizePerHandler;
      return this;
    }

    public Builder maxFrameLength(int maxFrameLength) {
      this.maxFrameLength = maxFrameLength;
      return this;
    }

    public Builder maxConnections(int maxConnections) {
      this.maxConnections = maxConnections;
      return this;
    }

    public Builder listenBacklog(int listenBacklog) {
      this.listenBacklog = listenBacklog;
      return this;
    }

    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
      return this;
    }

    public Builder setupTimeout(Duration setupTimeout) {
      this.setupTimeout = setupTimeout;
      return this;
    }

    public Builder requestBufferBytes(long requestBufferBytes) {
      this.requestBufferBytes = requestBufferBytes;
      return this;
    }

    public Builder tcpNoDelay(boolean tcpNoDelay) {
      this.tcpNoDelay = tcpNoDelay;
      return this;
    }

    public Builder shutdownGrace(Duration shutdownGrace) {
      this.shutdownGrace = shutdownGrace;
      return this;
    }

    public Builder logSlowCalls(boolean logSlowCalls) {
      this.logSlowCalls = logSlowCalls;
      return this;
    }

    public Builder slowCallThreshold(Duration slowCallThreshold) {
      this.slowCallThreshold = slowCallThreshold;
      return this;
    }

    public Builder slowCallMinSamples(long slowCallMinSamples) {
      this.slowCallMinSamples = slowCallMinSamples;
      return this;
    }

    public Builder responseBufferBytes(long responseBufferBytes) {
      this.responseBufferBytes = responseBufferBytes;
      return this;
    }

    public Builder writeHighWaterMark(long writeHighWaterMark) {
      this.writeHighWaterMark = writeHighWaterMark;
      return this;
    }

    public Builder writeLowWaterMark(long writeLowWaterMark) {
      this.writeLowWaterMark = writeLowWaterMark;
      return this;
    }

    public Builder writeStallTimeout(Duration writeStallTimeout) {
      this.writeStallTimeout = writeStallTimeout;
      return this;
    }

    /** When set-up idle connections are closed (Hadoop's rules). */
    public Builder idleScan(IdleScan idleScan) {
      this.idleScan = idleScan;
      return this;
    }

    /** Whether ERROR answers carry the stack trace in {@code errorMsg}, as Hadoop's do. */
    public Builder errorStackTraces(boolean errorStackTraces) {
      this.errorStackTraces = errorStackTraces;
      return this;
    }

    /** The settings, validated. */
    public ServerOptions build() {
      return new ServerOptions(bindAddress, port, handlerCount, readerCount,
          queueSizePerHandler, maxFrameLength, maxConnections, listenBacklog, idleTimeout,
          setupTimeout, requestBufferBytes, tcpNoDelay, shutdownGrace, logSlowCalls,
          slowCallThreshold, slowCallMinSamples, responseBufferBytes, writeHighWaterMark,
          writeLowWaterMark, writeStallTimeout, idleScan, errorStackTraces);
    }
  }
}
