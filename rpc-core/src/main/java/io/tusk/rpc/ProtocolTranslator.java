package io.tusk.rpc;

/**
 * Implemented by client-side translators that wrap an RPC proxy (as Hadoop's interface of the same
 * name), so that {@link RPC#getConnectionIdForProxy}, {@link RPC#getClient} and
 * {@link RPC#getServerAddress} accept the translator in place of the proxy.
 */
public interface ProtocolTranslator {
  /** The RPC proxy this translator calls through. */
  Object getUnderlyingProxyObject();
}
