package io.tusk.rpc.client;

import io.tusk.rpc.RpcKind;
import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.conf.Configuration;
import io.tusk.rpc.internal.client.ClientRuntime;
import io.tusk.rpc.wire.RpcConstants;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.net.SocketFactory;

/**
 * A Hadoop-IPC-compatible RPC client: one TCP connection per {@link ConnectionId}, shared by every
 * caller. Requests are written from the caller's thread; one receiver thread per connection
 * completes calls by id.
 *
 * <p>Failures are prompt and clear: a connection that breaks fails every call pending on it with
 * an exception naming the remote address; a server that never answers fails blocking calls after
 * the RPC timeout; nothing waits forever. {@link #close()} closes every connection and joins their
 * threads.
 *
 * <p>Threads: any number of threads may call at once. The first call to a {@link ConnectionId}
 * connects on the calling thread (with the configured retries); calls are encoded and written on
 * the calling thread; each connection's receiver thread ({@code <name>-receiver@host:port},
 * daemon) completes the futures, so stages attached with the non-async {@code then...} methods
 * may run on it and must be short. A connection idle for {@link ClientOptions#maxIdleTime()}
 * closes itself; the next call opens a new one.
 */
public final class Client implements AutoCloseable {
  private final ClientRuntime runtime;

  /** A new builder with Hadoop's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  private Client(Builder builder) {
    this.runtime = new ClientRuntime(builder.name(), builder.options(), builder.socketFactory());
  }

  /**
   * Sends one request and returns a future for the response payload (the bytes after the response
   * header), with retry count 0 in its header, as Hadoop's client sends a first attempt. The
   * request is written on the calling thread before this returns (or handed to a
   * caller already writing on the same connection, which flushes both at once).
   *
   * <p>The future fails with {@link io.tusk.rpc.RemoteException} when the server answered with an
   * error, with a {@link java.net.ConnectException} when no connection could be made, and with an
   * {@link IOException} naming the remote address when the connection broke.
   */
  public CompletableFuture<ByteBuffer> callAsync(RpcKind kind, RpcPayload request,
      ConnectionId remote) {
    return callAsync(kind, request, remote, RpcConstants.FIRST_ATTEMPT_RETRY_COUNT);
  }

  /** Like {@link #callAsync(RpcKind, RpcPayload, ConnectionId)} with the header's retry count. */
  public CompletableFuture<ByteBuffer> callAsync(RpcKind kind, RpcPayload request,
      ConnectionId remote, int retryCount) {
    return runtime.callAsync(kind, request, remote, retryCount);
  }

  /**
   * Sends one request and waits for its response payload for at most the configured RPC timeout
   * (forever, with pings, when it is zero).
   *
   * @throws java.net.SocketTimeoutException when the timeout passes; the call is abandoned
   */
  public ByteBuffer call(RpcKind kind, RpcPayload request, ConnectionId remote) throws IOException {
    return runtime.call(kind, request, remote, RpcConstants.FIRST_ATTEMPT_RETRY_COUNT,
        runtime.options().rpcTimeout());
  }

  /**
   * Like {@link #call(RpcKind, RpcPayload, ConnectionId)} with an explicit timeout ({@link
   * Duration#ZERO} = no limit).
   */
  public ByteBuffer call(RpcKind kind, RpcPayload request, ConnectionId remote, Duration timeout)
      throws IOException {
    return runtime.call(kind, request, remote, RpcConstants.FIRST_ATTEMPT_RETRY_COUNT, timeout);
  }

  /** This client's 16-byte id (a random UUID), sent in every request header. */
  public byte[] clientId() {
    return runtime.clientId();
  }

  /** The settings this client was built with. */
  public ClientOptions options() {
    return runtime.options();
  }

  /** The name given to the builder; it prefixes this client's thread names. */
  public String name() {
    return runtime.name();
  }

  /** Connections currently open. */
  public int connectionCount() {
    return runtime.connectionCount();
  }

  /** Fails every pending call, closes every connection and joins their threads. Idempotent. */
  @Override
  public void close() {
    runtime.close();
  }

  /** Configures a {@link Client}. */
  public static final class Builder {
    private ClientOptions options = ClientOptions.defaults();
    private SocketFactory socketFactory = SocketFactory.getDefault();
    private String name = "tusk-client";

    private Builder() {}

    /** Reads every setting from {@code ipc.client.*} keys, replacing earlier settings. */
    public Builder configuration(Configuration conf) {
      this.options = ClientOptions.fromConfiguration(conf);
      return this;
    }

    public Builder options(ClientOptions options) {
      this.options = options;
      return this;
    }

    /** Creates the sockets; lets tests and tunnels plug in. */
    public Builder socketFactory(SocketFactory socketFactory) {
      this.socketFactory = socketFactory;
      return this;
    }

    /** A short name used in thread names, e.g. {@code tusk-client-receiver@127.0.0.1:9000}. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    ClientOptions options() {
      return options;
    }

    SocketFactory socketFactory() {
      return socketFactory;
    }

    String name() {
      return name;
    }

    public Client build() {
      return new Client(this);
    }
  }
}
