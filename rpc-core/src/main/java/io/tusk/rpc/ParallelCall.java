package io.tusk.rpc;

import io.tusk.rpc.client.Client;
import io.tusk.rpc.client.ConnectionId;
import io.tusk.rpc.security.UserIdentity;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link RPC#call}: one method, several servers, all calls in flight at once through the engine's
 * {@link RpcEngine#callAsync} (which returns at once: connecting and sending happen on the
 * client's I/O threads, so a server that never answers does not hold up the others), results in
 * the order of the addresses. The first failure (in that order) fails the whole call with an
 * exception naming the server; the calls still in flight then are cancelled, so none stays
 * pending on its connection.
 */
final class ParallelCall {
  private ParallelCall() {}

  static Object[] call(RpcEngine engine, Client client, Method method, Object[][] params,
      InetSocketAddress[] addrs, UserIdentity user, Duration timeout) throws IOException {
    if (params.length != addrs.length) {
      throw new IllegalArgumentException("RPC.call needs one parameter array per address: "
          + params.length + " parameter arrays for " + addrs.length + " addresses");
    }
    String protocol = RPC.getProtocolName(method.getDeclaringClass());
    @SuppressWarnings("unchecked")
    CompletableFuture<Object>[] futures = new CompletableFuture[addrs.length];
    try {
      for (int i = 0; i < addrs.length; i++) {
        try {
          ConnectionId remote = ConnectionId.of(RpcProxies.resolve(addrs[i]), protocol, user);
          futures[i] = engine.callAsync(method, params[i], remote, client);
        } catch (IOException | RuntimeException e) {
          futures[i] = CompletableFuture.failedFuture(e);
        }
      }
      long deadline = timeout.isZero() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
      Object[] results = new Object[addrs.length];
      for (int i = 0; i < addrs.length; i++) {
        results[i] = await(futures[i], method, addrs[i], deadline);
      }
      return results;
    } finally {
      for (CompletableFuture<Object> future : futures) {
        if (future != null) {
          future.cancel(false); // a no-op for the completed ones
        }
      }
    }
  }

  private static Object await(CompletableFuture<Object> future, Method method,
      InetSocketAddress addr, long deadline) throws IOException {
    String what = method.getDeclaringClass().getSimpleName() + "." + method.getName()
        + " on " + addr;
    try {
      if (deadline == Long.MAX_VALUE) {
        return future.get();
      }
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof java.io.UncheckedIOException unchecked) {
        cause = unchecked.getCause();
      }
      if (cause instanceof UnsupportedOperationException unsupported) {
        throw unsupported;
      }
      throw new IOException("RPC.call of " + what + " failed: " + cause, cause);
    } catch (TimeoutException e) {
      throw (IOException) new SocketTimeoutException("RPC.call of " + what
          + " got no answer in time").initCause(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw (IOException) new InterruptedIOException("interrupted waiting for " + what)
          .initCause(e);
    }
  }
}
