package io.tusk.rpc.protobuf;

import io.tusk.rpc.server.Server;
import io.tusk.rpc.spi.BuiltinProtocols;

/**
 * Hosts the protocol meta-info service ({@link ProtocolMetaInfoPB}) on every server the
 * {@link io.tusk.rpc.RPC.Builder} builds, as Hadoop hosts it on every RPC server, whatever engines
 * its own protocols use. Listed in {@code META-INF/services/io.tusk.rpc.spi.BuiltinProtocols}.
 */
public final class ProtocolMetaInfoBuiltin implements BuiltinProtocols {
  /** For {@link java.util.ServiceLoader}. */
  public ProtocolMetaInfoBuiltin() {}

  @Override
  public void hostOn(Server server) {
    ProtocolMetaInfo.register(server);
  }
}
