package io.tusk.rpc.conf;

/**
 * Configuration keys Tusk understands, with their defaults: Hadoop's names where Hadoop has the
 * setting (so an existing core-site.xml keeps working), {@code tusk.*} for Tusk's own.
 *
 * <p>Keys are read once, when a server or client is built; nothing parses strings per call.
 */
public final class IpcKeys {
  private IpcKeys() {}

  // ---- server ----
  public static final String SERVER_HANDLER_COUNT = "ipc.server.handler.count";
  public static final int SERVER_HANDLER_COUNT_DEFAULT = 10;
  public static final String SERVER_HANDLER_QUEUE_SIZE = "ipc.server.handler.queue.size";
  public static final int SERVER_HANDLER_QUEUE_SIZE_DEFAULT = 100;
  public static final String SERVER_READ_THREADPOOL_SIZE = "ipc.server.read.threadpool.size";
  public static final int SERVER_READ_THREADPOOL_SIZE_DEFAULT = 1;
  public static final String SERVER_LISTEN_QUEUE_SIZE = "ipc.server.listen.queue.size";
  public static final int SERVER_LISTEN_QUEUE_SIZE_DEFAULT = 256;
  public static final String SERVER_MAX_CONNECTIONS = "ipc.server.max.connections";
  public static final int SERVER_MAX_CONNECTIONS_DEFAULT = 0;
  public static final String SERVER_TCPNODELAY = "ipc.server.tcpnodelay";
  public static final boolean SERVER_TCPNODELAY_DEFAULT = true;
  public static final String MAXIMUM_DATA_LENGTH = "ipc.maximum.data.length";
  public static final int MAXIMUM_DATA_LENGTH_DEFAULT = 128 * 1024 * 1024;
  public static final String SERVER_LOG_SLOW_RPC = "ipc.server.log.slow.rpc";
  public static final boolean SERVER_LOG_SLOW_RPC_DEFAULT = false;
  /** A slow call must also take longer than this (Hadoop 3.4's key). */
  public static final String SERVER_LOG_SLOW_RPC_THRESHOLD_MS =
      "ipc.server.log.slow.rpc.threshold.ms";
  public static final long SERVER_LOG_SLOW_RPC_THRESHOLD_MS_DEFAULT = 0;
  /** Calls seen before the slow-call statistics are trusted (Hadoop hard-codes 1024). */
  public static final String SERVER_LOG_SLOW_RPC_MIN_SAMPLES =
      "tusk.server.log.slow.rpc.min-samples";
  public static final long SERVER_LOG_SLOW_RPC_MIN_SAMPLES_DEFAULT = 1024;
  /**
   * Deprecated in its old meaning: before issue 11 a server closed every connection idle this
   * long. Set-up connections now idle out by Hadoop's rules ({@link #CLIENT_IDLETHRESHOLD},
   * {@link #CLIENT_CONNECTION_MAXIDLETIME}, {@link #CLIENT_CONNECTION_IDLESCANINTERVAL},
   * {@link #CLIENT_KILL_MAX}); this key only bounds how long a set-up connection may stall in
   * the middle of a request frame (no byte for this long while a frame is partly received) before
   * it is closed, a hostile-peer limit, since a partial frame holds request-buffer memory that no
   * call will ever free. Connections that did not finish setup have {@link
   * #SERVER_SETUP_TIMEOUT_MS} instead.
   */
  public static final String SERVER_IDLE_TIMEOUT_MS = "tusk.server.connection.idle-timeout.ms";
  public static final long SERVER_IDLE_TIMEOUT_MS_DEFAULT = 20_000;
  /**
   * Hadoop's server closes idle connections only while at least this many are open (Hadoop's
   * key and default; it counts every open connection). Below it, a set-up connection stays open
   * however long it is idle, so a Hadoop client whose {@link #CLIENT_CONNECTION_MAXIDLETIME} is
   * long keeps its connection. 0 scans always.
   */
  public static final String CLIENT_IDLETHRESHOLD = "ipc.client.idlethreshold";
  public static final int CLIENT_IDLETHRESHOLD_DEFAULT = 4000;
  /**
   * How often the server looks for idle connections (ms), on its ticker; the first look is one
   * interval after the server was built.
   */
  public static final String CLIENT_CONNECTION_IDLESCANINTERVAL =
      "ipc.client.connection.idle-scan-interval.ms";
  public static final int CLIENT_CONNECTION_IDLESCANINTERVAL_DEFAULT = 10_000;
  /**
   * At most this many idle connections are closed per scan (Hadoop's key); as in Hadoop, 0 or
   * less means no limit.
   */
  public static final String CLIENT_KILL_MAX = "ipc.client.kill.max";
  public static final int CLIENT_KILL_MAX_DEFAULT = 10;
  /** A connection must finish its preamble and connection context within this time. */
  public static final String SERVER_SETUP_TIMEOUT_MS = "tusk.server.connection.setup-timeout.ms";
  public static final long SERVER_SETUP_TIMEOUT_MS_DEFAULT = 10_000;
  /**
   * Bytes all received request frames may hold at once, server-wide; 0 means a quarter of the
   * maximum heap. Readers pause while it is exhausted.
   */
  public static final String SERVER_REQUEST_BUFFER_BYTES = "tusk.server.request-buffer.max-bytes";
  public static final long SERVER_REQUEST_BUFFER_BYTES_DEFAULT = 0;
  /**
   * Bytes of responses all connections may have queued at once (written later, because their
   * clients read slower than the server answers); 0 means a quarter of the maximum heap. While it
   * is spent, connections with queued responses stop reading requests.
   */
  public static final String SERVER_RESPONSE_BUFFER_BYTES =
      "tusk.server.response-buffer.max-bytes";
  public static final long SERVER_RESPONSE_BUFFER_BYTES_DEFAULT = 0;
  /** A connection with more response bytes queued than this stops reading requests. */
  public static final String SERVER_WRITE_HIGH_WATER_MARK =
      "tusk.server.connection.write-buffer.high-water-mark";
  public static final long SERVER_WRITE_HIGH_WATER_MARK_DEFAULT = 1024 * 1024;
  /** ... and reads again once its queued response bytes dropped to this. */
  public static final String SERVER_WRITE_LOW_WATER_MARK =
      "tusk.server.connection.write-buffer.low-water-mark";
  public static final long SERVER_WRITE_LOW_WATER_MARK_DEFAULT = 256 * 1024;
  /**
   * A connection with queued responses of which nothing could be written for this long is closed,
   * in any state and whatever the peer keeps sending.
   */
  public static final String SERVER_WRITE_STALL_TIMEOUT_MS =
      "tusk.server.connection.write-stall-timeout.ms";
  public static final long SERVER_WRITE_STALL_TIMEOUT_MS_DEFAULT = 30_000;
  /** How long {@code close()} lets queued and running calls finish before failing them. */
  public static final String SERVER_SHUTDOWN_GRACE_MS = "tusk.server.shutdown.grace.ms";
  public static final long SERVER_SHUTDOWN_GRACE_MS_DEFAULT = 2_000;
  /**
   * Whether an ERROR answer to a call whose handler threw carries the exception's stack trace in
   * {@code errorMsg}, as Hadoop's server always sends it: {@code printStackTrace} text without
   * the leading {@code "<class>: "}, so its first line is the message. Off by default: the
   * message alone goes to the client, since a trace tells every caller the server's classes,
   * libraries and code paths.
   */
  public static final String SERVER_ERROR_STACK_TRACES = "tusk.server.error.stack-traces";
  public static final boolean SERVER_ERROR_STACK_TRACES_DEFAULT = false;

  // ---- client ----
  public static final String CLIENT_TCPNODELAY = "ipc.client.tcpnodelay";
  public static final boolean CLIENT_TCPNODELAY_DEFAULT = true;
  public static final String CLIENT_CONNECT_TIMEOUT = "ipc.client.connect.timeout";
  public static final int CLIENT_CONNECT_TIMEOUT_DEFAULT = 20_000;
  public static final String CLIENT_CONNECT_MAX_RETRIES = "ipc.client.connect.max.retries";
  public static final int CLIENT_CONNECT_MAX_RETRIES_DEFAULT = 10;
  public static final String CLIENT_CONNECT_RETRY_INTERVAL = "ipc.client.connect.retry.interval";
  public static final int CLIENT_CONNECT_RETRY_INTERVAL_DEFAULT = 1_000;
  /**
   * Read by both sides, as in Hadoop. A client closes a connection with no call pending after
   * this long (ms). A server counts a set-up connection with no call in progress and nothing
   * queued as idle once nothing happened on it for twice this long (so 20 s by default), and
   * closes it only while {@link #CLIENT_IDLETHRESHOLD} connections are open, at most
   * {@link #CLIENT_KILL_MAX} per {@link #CLIENT_CONNECTION_IDLESCANINTERVAL}.
   */
  public static final String CLIENT_CONNECTION_MAXIDLETIME = "ipc.client.connection.maxidletime";
  public static final int CLIENT_CONNECTION_MAXIDLETIME_DEFAULT = 10_000;
  public static final String PING_INTERVAL = "ipc.ping.interval";
  public static final int PING_INTERVAL_DEFAULT = 60_000;
  public static final String CLIENT_PING = "ipc.client.ping";
  public static final boolean CLIENT_PING_DEFAULT = true;
  /**
   * The default deadline of a client call (blocking or asynchronous), covering connect, send and
   * response; 0 = none (then pings).
   */
  public static final String CLIENT_RPC_TIMEOUT_MS = "ipc.client.rpc-timeout.ms";
  public static final int CLIENT_RPC_TIMEOUT_MS_DEFAULT = 120_000;
  public static final String CLIENT_MAX_RESPONSE_LENGTH = "ipc.maximum.response.length";
  public static final int CLIENT_MAX_RESPONSE_LENGTH_DEFAULT = 128 * 1024 * 1024;
  /**
   * Bytes of requests one client connection may hold waiting for its socket (queued for another
   * caller or an I/O thread to write, or in a write not yet finished); a call that would go past
   * it fails at once. One request is always admitted into an empty queue, however large.
   */
  public static final String CLIENT_SEND_QUEUE_MAX_BYTES = "tusk.client.send-queue.max-bytes";
  public static final long CLIENT_SEND_QUEUE_MAX_BYTES_DEFAULT = 64L * 1024 * 1024;
  /**
   * Whether a Writable-engine proxy turns a {@link io.tusk.rpc.RemoteException} into the
   * exception type its method declares (by class name, or a loadable IOException subclass, or a
   * Tusk framework error such as {@link io.tusk.rpc.RPC.VersionMismatch}) before throwing it, as
   * Tusk did before issue 11. Off by default: the proxy throws the {@code RemoteException}
   * itself, as Hadoop's {@code WritableRpcEngine} does, and callers use
   * {@link io.tusk.rpc.RemoteException#unwrapRemoteException(Class[])}. Read once per proxy, from
   * the configuration given to {@code RPC.getProxy}.
   */
  public static final String CLIENT_WRITABLE_UNWRAP_REMOTE_EXCEPTIONS =
      "tusk.client.writable.unwrap-remote-exceptions";
  public static final boolean CLIENT_WRITABLE_UNWRAP_REMOTE_EXCEPTIONS_DEFAULT = false;

  // ---- interceptors ----
  /**
   * Client interceptors by class name, comma-separated, outermost first; each class has a public
   * no-argument constructor. Read by {@code Client.Builder.configuration} and by the facade's
   * shared clients (proxies naming different lists get different clients).
   */
  public static final String CLIENT_INTERCEPTORS = "tusk.client.interceptors";
  public static final String CLIENT_INTERCEPTORS_DEFAULT = "";
  /** Server interceptors by class name, as {@link #CLIENT_INTERCEPTORS}; read when built. */
  public static final String SERVER_INTERCEPTORS = "tusk.server.interceptors";
  public static final String SERVER_INTERCEPTORS_DEFAULT = "";

  // ---- engines ----
  /** Prefix of the per-protocol engine setting: {@code rpc.engine.<protocol class name>}. */
  public static final String RPC_ENGINE_PREFIX = "rpc.engine.";
}
