package io.tusk.rpc;

import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Bytes an engine puts into a frame after the RPC header: a request on the client, a response on
 * the server. The core never looks inside; it only asks the payload to write itself.
 *
 * <p>{@code out} is backed by a reusable in-memory buffer: writing is cheap and never blocks.
 * Protobuf messages use {@code writeDelimitedTo(out)}, Writables {@code write(out)}.
 */
@FunctionalInterface
public interface RpcPayload {
  /** Writes this payload's bytes. Called once per frame, on the thread that builds the frame. */
  void writeTo(DataOutputStream out) throws IOException;

  /** A payload of exactly these bytes. */
  static RpcPayload ofBytes(byte[] bytes) {
    return out -> out.write(bytes);
  }

  /** A payload of nothing (e.g. a void response). */
  static RpcPayload empty() {
    return out -> { };
  }
}
