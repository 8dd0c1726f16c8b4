package io.tusk.rpc.internal.server;

import io.tusk.rpc.server.CallContext;

/**
 * The call a handler thread is running, behind {@link io.tusk.rpc.server.Server#getCurrentCall()}.
 *
 * <p>Public only so that the {@code Server} facade in another package can read it; handlers set and
 * clear it around each call. Not an API: applications use {@code Server.getCurrentCall()}.
 */
public final class CurrentCall {
  private static final ThreadLocal<CallContext> CURRENT = new ThreadLocal<>();

  private CurrentCall() {}

  /** The call the current thread is running, or {@code null}. */
  public static CallContext get() {
    return CURRENT.get();
  }

  static void set(CallContext call) {
    CURRENT.set(call);
  }

  static void clear() {
    CURRENT.set(null); // not remove(): the next set() would allocate a new map entry
  }
}
