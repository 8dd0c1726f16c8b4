package io.tusk.rpc.intercept;

/**
 * The timestamps of one server call, on the server's {@link io.tusk.rpc.Ticker} (nanoseconds,
 * only differences mean anything), 0 until reached. The server's per-call object records them in
 * plain fields (no allocation, no lambda per call); metrics and the slow-call log read them.
 *
 * <pre>
 *  enqueued ── queue ──> dequeued ── decode ──> handlerStart ── processing ──> handlerEnd
 *                                                 (interceptors + invoker)          │
 *                                                        responseWritten <── response ┘
 *                                              (encoded, queued, last byte to the socket)
 * </pre>
 *
 * <p>Threads: {@code enqueued} is set by the reader thread before the call is queued, the next
 * three by the handler running the call, {@code responseWritten} by whichever thread writes the
 * response's last byte (the handler itself, another handler or the responder), after the chain
 * has returned, so an interceptor never sees it set; it stays 0 when the response is never written
 * (connection closed, server stopping).
 */
public interface CallTimings {
  /** The request frame was read and the call put on the call queue. */
  long enqueuedNanos();

  /** A handler took the call from the queue. */
  long dequeuedNanos();

  /** The request was decoded; the interceptor chain starts. */
  long handlerStartNanos();

  /** The interceptor chain (and the invoker) returned or threw. */
  long handlerEndNanos();

  /** The response frame's last byte was handed to the socket; 0 until then. */
  long responseWrittenNanos();

  /** Time in the call queue. */
  default long queueNanos() {
    return dequeuedNanos() - enqueuedNanos();
  }

  /** Time in the interceptor chain and the invoker. */
  default long processingNanos() {
    return handlerEndNanos() - handlerStartNanos();
  }

  /** Time from the end of processing to the response's last byte written; -1 until written. */
  default long responseNanos() {
    long written = responseWrittenNanos();
    return written == 0 ? -1 : written - handlerEndNanos();
  }
}
