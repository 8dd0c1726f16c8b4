package io.tusk.rpc.spi;

import io.tusk.rpc.conf.Configuration;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link ClientEngine} needs to know about one proxy besides its protocol and connection.
 *
 * @param clientVersion the protocol version the proxy speaks (the Writable engine sends it;
 *     engines that send the protocol's own version ignore it)
 * @param rpcTimeout the deadline of each of the proxy's calls ({@link Duration#ZERO} = none), or
 *     {@code null} for the client's {@link io.tusk.rpc.client.ClientOptions#rpcTimeout()}: proxies
 *     with different timeouts share one client, so the engine passes this with every call
 * @param onClose run once, on the closing thread, the first time the proxy's user closes it (a
 *     {@code Closeable} proxy); the facade gives the proxy's client reference back there
 * @param configuration the settings the proxy was asked for with ({@code RPC.getProxy}'s
 *     {@code conf}), from which an engine reads its own proxy settings once, when it makes the
 *     proxy (for example {@link io.tusk.rpc.conf.IpcKeys#CLIENT_WRITABLE_UNWRAP_REMOTE_EXCEPTIONS});
 *     an empty configuration (every default) unless given. Engines must not change it.
 */
public record ProxyOptions(long clientVersion, Duration rpcTimeout, Runnable onClose,
    Configuration configuration) {
  private static final Runnable NOTHING = () -> { };

  public ProxyOptions {
    Objects.requireNonNull(onClose, "onClose");
    Objects.requireNonNull(configuration, "configuration");
    if (rpcTimeout != null && rpcTimeout.isNegative()) {
      throw new IllegalArgumentException("rpcTimeout must be >= 0: " + rpcTimeout);
    }
  }

  /** The first three settings, with an empty configuration (every engine default). */
  public ProxyOptions(long clientVersion, Duration rpcTimeout, Runnable onClose) {
    this(clientVersion, rpcTimeout, onClose, new Configuration());
  }

  /** {@code clientVersion}, the client's timeout, nobody told of close, every engine default. */
  public static ProxyOptions of(long clientVersion) {
    return new ProxyOptions(clientVersion, null, NOTHING);
  }

  /** These options with another timeout. */
  public ProxyOptions withRpcTimeout(Duration timeout) {
    return new ProxyOptions(clientVersion, timeout, onClose, configuration);
  }

  /** These options with another close callback. */
  public ProxyOptions withOnClose(Runnable callback) {
    return new ProxyOptions(clientVersion, rpcTimeout, callback, configuration);
  }

  /** These options with the settings engines read their proxy settings from. */
  public ProxyOptions withConfiguration(Configuration conf) {
    return new ProxyOptions(clientVersion, rpcTimeout, onClose, conf);
  }
}
