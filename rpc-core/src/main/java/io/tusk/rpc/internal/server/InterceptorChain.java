package io.tusk.rpc.internal.server;

import io.tusk.rpc.RpcPayload;
import io.tusk.rpc.intercept.ServerInterceptor;

/**
 * One step of a server's interceptor chain: {@link #proceed()} runs the interceptor at
 * {@code index}, or the handler's invoker once every interceptor has proceeded. One step object
 * per interceptor per call, made only when the server has interceptors; a server without them
 * calls the invoker directly ({@link Handler}).
 *
 * <p>Threads: the handler thread running the call; a step is not shared.
 */
final class InterceptorChain implements ServerInterceptor.Chain {
  private final ServerInterceptor[] interceptors;
  private final int index;
  private final Call call;
  private final Handler handler;
  private boolean proceeded;

  private InterceptorChain(ServerInterceptor[] interceptors, int index, Call call,
      Handler handler) {
    this.interceptors = interceptors;
    this.index = index;
    this.call = call;
    this.handler = handler;
  }

  /** Runs {@code interceptors} (at least one) around {@code handler}'s invoker for {@code call}. */
  static RpcPayload run(ServerInterceptor[] interceptors, Call call, Handler handler)
      throws Exception {
    return interceptors[0].intercept(call, new InterceptorChain(interceptors, 1, call, handler));
  }

  @Override
  public RpcPayload proceed() throws Exception {
    if (proceeded) {
      throw new IllegalStateException("interceptor " + interceptors[index - 1].getClass()
          .getName() + " proceeded twice with call #" + call.context.callId());
    }
    proceeded = true;
    if (index < interceptors.length) {
      return interceptors[index].intercept(call,
          new InterceptorChain(interceptors, index + 1, call, handler));
    }
    try {
      return handler.invoke(call);
    } catch (Exception e) {
      // Interceptors see what the client will see, not reflection's wrapper around it.
      Throwable cause = Handler.unwrap(e);
      if (cause instanceof Exception ex) {
        throw ex;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }
}
