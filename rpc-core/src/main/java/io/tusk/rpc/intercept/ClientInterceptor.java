package io.tusk.rpc.intercept;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Runs around every call made through {@code Client.call} and {@code Client.callAsync}: it can
 * add header fields ({@link ClientCall#setCallerContext}, {@link ClientCall#setTraceInfo}) before
 * proceeding, observe the outcome and timing on the returned future, or fail fast. Added with
 * {@code Client.Builder.interceptor(...)}; the first added is the outermost.
 *
 * <p>An interceptor may
 * <ul>
 *   <li>go on: {@code return next.proceed();}, or a stage derived from it
 *       ({@code next.proceed().whenComplete(...)});
 *   <li>fail fast: throw (a blocking {@code call} throws it as it is, {@code callAsync} returns
 *       it as a failed future), or return a failed future without proceeding, and nothing is
 *       sent;
 *   <li>answer itself: return a completed future without proceeding.
 * </ul>
 *
 * <p>The returned future is what the caller gets (blocking calls wait for it within the call's
 * deadline). Transport failures never throw from {@link Chain#proceed()}: they arrive through its
 * future, as they do for {@code callAsync}.
 *
 * <p>Threads: {@code intercept} runs on the calling thread; stages attached to the future run
 * where the call completes (the connection's receiver, the client's timer, a closing thread) and
 * must be short. Implementations are shared by all callers and must be thread-safe. With no
 * interceptor the client calls its transport directly, allocating nothing for the chain.
 */
@FunctionalInterface
public interface ClientInterceptor {
  /**
   * @param call the call about to be sent (kind, connection, payload, header fields to add)
   * @param next the rest of the chain; {@link Chain#proceed()} at most once
   * @return the future of the response payload, never null
   */
  CompletableFuture<ByteBuffer> intercept(ClientCall call, Chain next) throws IOException;

  /** The interceptors after this one, then the client's transport. */
  interface Chain {
    /**
     * Sends the call through the rest of the chain, with the header fields set on the
     * {@link ClientCall} so far.
     *
     * @throws IllegalStateException when called a second time by the same interceptor
     */
    CompletableFuture<ByteBuffer> proceed() throws IOException;
  }
}
