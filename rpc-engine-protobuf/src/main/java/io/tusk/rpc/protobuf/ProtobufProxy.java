package io.tusk.rpc.protobuf;

import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import java.io.Closeable;

/**
 * Implemented by every proxy {@link ProtobufRpcEngine#newProxy} returns, beside the user's protocol
 * interface: tells where the proxy's calls go and lets its owner stop it.
 *
 * <p>{@link #close()} stops only this proxy (later calls fail with an {@link java.io.IOException});
 * the {@link Client} it uses is shared and stays open: whoever built the client closes it. For a
 * proxy made by the {@link io.tusk.rpc.RPC} facade, closing it gives the proxy's client reference
 * back, as {@link io.tusk.rpc.RPC#stopProxy} does, so the last one closed closes the client.
 */
public interface ProtobufProxy extends Closeable {
  /** The connection this proxy's calls use. */
  ConnectionId connectionId();

  /** The client that carries this proxy's calls (not owned by the proxy). */
  Client client();

  /**
   * Stops this proxy; idempotent. Does not close {@link #client()} itself, but a facade proxy
   * gives back its reference to it.
   */
  @Override
  void close();
}
