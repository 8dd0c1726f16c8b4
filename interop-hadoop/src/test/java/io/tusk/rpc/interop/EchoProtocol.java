package io.tusk.rpc.interop;

/** Names the protocol of the raw (RPC_BUILTIN) interop connections; it has no methods. */
public interface EchoProtocol {
  /** The protocol version Hadoop's ConnectionId asks for. */
  long versionID = 1L;
}
