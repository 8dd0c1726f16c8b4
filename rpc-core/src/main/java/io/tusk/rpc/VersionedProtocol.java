package io.tusk.rpc;

import java.io.IOException;

/**
 * Hadoop's optional super-interface of a protocol: lets a client ask the server which version of
 * the protocol it serves and which methods it has. Engines route these two methods to the highest
 * version the server hosts. On the wire (and in method fingerprints) it is Hadoop's
 * {@code org.apache.hadoop.ipc.VersionedProtocol}.
 */
@WireName("org.apache.hadoop.ipc.VersionedProtocol")
public interface VersionedProtocol {
  /** The version of {@code protocol} this server implements. */
  long getProtocolVersion(String protocol, long clientVersion) throws IOException;

  /** The server's version and method fingerprints of {@code protocol}. */
  ProtocolSignature getProtocolSignature(String protocol, long clientVersion,
      int clientMethodsHash) throws IOException;
}
