package io.tusk.rpc.spi;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Server side of an engine: turns the request bytes that follow the RPC header into the engine's
 * request object (Hadoop calls this the request wrapper). Called on the handler thread that then
 * runs the call, just before {@link RpcInvoker}: readers only frame bytes and parse RPC headers, so
 * no engine code can stall or kill them. It must still bound what it allocates by the bytes it
 * was given: a request is untrusted input.
 *
 * @param <R> the engine's request type
 */
@FunctionalInterface
public interface RequestDecoder<R> {
  /**
   * @param request the engine's bytes: position at the first byte after the RPC header, limit at
   *     the end of the frame; the decoder may keep a reference to it
   * @return the decoded request, never null
   * @throws IOException when the bytes cannot be decoded; the server answers
   *     FATAL_DESERIALIZING_REQUEST and closes the connection (so it does for anything else the
   *     decoder throws, {@link Error}s included)
   */
  R decode(ByteBuffer request) throws IOException;
}
