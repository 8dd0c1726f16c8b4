package io.tusk.rpc.server;

import io.tusk.rpc.intercept.CallTimings;
import io.tusk.rpc.intercept.ServerCall;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-call statistics of one server, kept in the core so every engine gets them: calls, errors,
 * queue, processing and response time per method, and the slow-call log.
 *
 * <p>It is the server's completion listener, installed on every server, rather than an
 * interceptor: it reads the call's {@link CallTimings}, and the response-write time is known only
 * after the interceptor chain has returned and the response's last byte is out. Handler threads
 * call {@link #callHandled} when a call's processing ends; the thread that writes a response's
 * last byte calls {@link #responseWritten}. Anyone may read. Counters are {@link LongAdder}s, so
 * handlers do not contend on the hot path. A call is slow, as in Hadoop, when more than the
 * minimum number of calls have been seen, it took longer than the mean plus three standard
 * deviations, and longer than the configured threshold.
 */
public final class RpcMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(RpcMetrics.class);

  private final ConcurrentHashMap<String, Counters> methods = new ConcurrentHashMap<>();
  private final LongAdder calls = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder slow = new LongAdder();
  private final LongAdder queueNanos = new LongAdder();
  private final LongAdder processingNanos = new LongAdder();
  private final LongAdder responses = new LongAdder();
  private final LongAdder responseNanos = new LongAdder();

  private final boolean logSlowCalls;
  private final long slowThresholdNanos;
  private final long slowMinSamples;
  /** Running mean and variance of processing time (Welford); only kept when logging slow calls. */
  private long samples;
  private double mean;
  private double m2;

  /**
   * @param logSlowCalls whether to log slow calls at all
   * @param slowThresholdNanos a slow call must also take longer than this
   * @param slowMinSamples calls needed before the mean is trusted
   */
  public RpcMetrics(boolean logSlowCalls, long slowThresholdNanos, long slowMinSamples) {
    this.logSlowCalls = logSlowCalls;
    this.slowThresholdNanos = slowThresholdNanos;
    this.slowMinSamples = slowMinSamples;
  }

  private static final class Counters {
    final LongAdder calls = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder queueNanos = new LongAdder();
    final LongAdder processingNanos = new LongAdder();
    final LongAccumulator maxProcessingNanos = new LongAccumulator(Math::max, 0);
    final LongAdder responses = new LongAdder();
    final LongAdder responseNanos = new LongAdder();
  }

  /**
   * Records a call whose processing ended (its interceptors and invoker returned or threw), from
   * its timings: queue time and processing time, and the slow-call log. Handler thread.
   *
   * @param failed whether the call ends in an error response
   */
  public void callHandled(ServerCall call, boolean failed) {
    CallTimings t = call.timings();
    record(call.methodName(), t.queueNanos(), t.processingNanos(), failed, call.context());
  }

  /**
   * Records that a call's response was written, with the time from the end of processing to its
   * last byte in the socket (encoding, waiting behind other responses, the writes). Called by the
   * writing thread; responses never written (connection closed) are not counted.
   */
  public void responseWritten(ServerCall call) {
    long nanos = call.timings().responseNanos();
    if (nanos < 0) {
      return;
    }
    Counters c = methods.computeIfAbsent(call.methodName(), m -> new Counters());
    c.responses.increment();
    c.responseNanos.add(nanos);
    responses.increment();
    responseNanos.add(nanos);
  }

  /**
   * Records one finished call; {@link #callHandled} passes the call's timings here.
   *
   * @param method the method name (see {@link io.tusk.rpc.NamedRequest})
   * @param queueNanos time between reading the request and a handler taking it
   * @param processingNanos time the engine's invoker ran
   * @param failed whether the call ended in an error response
   * @param call the call, for the slow-call log line
   */
  public void record(String method, long queueNanos, long processingNanos, boolean failed,
      CallContext call) {
    Counters c = methods.computeIfAbsent(method, m -> new Counters());
    c.calls.increment();
    c.queueNanos.add(queueNanos);
    c.processingNanos.add(processingNanos);
    c.maxProcessingNanos.accumulate(processingNanos);
    calls.increment();
    this.queueNanos.add(queueNanos);
    this.processingNanos.add(processingNanos);
    if (failed) {
      c.errors.increment();
      errors.increment();
    }
    if (logSlowCalls && isSlow(processingNanos)) {
      slow.increment();
      LOG.warn("Slow RPC: {} took {} ms to process (mean {} ms) for call #{} from {} as {}",
          method, processingNanos / 1_000_000.0, String.format("%.3f", meanMillis()),
          call.callId(), call.remoteAddress(), call.user());
    }
  }

  /** Records a call refused because the call queue was full. */
  public void recordRejected() {
    rejected.increment();
  }

  private synchronized boolean isSlow(long nanos) {
    double stdDev = samples > 1 ? Math.sqrt(m2 / (samples - 1)) : 0;
    boolean slowCall = samples > slowMinSamples && nanos > mean + 3 * stdDev
        && nanos > slowThresholdNanos;
    samples++;
    double delta = nanos - mean;
    mean += delta / samples;
    m2 += delta * (nanos - mean);
    return slowCall;
  }

  private synchronized double meanMillis() {
    return mean / 1_000_000.0;
  }

  public long callsTotal() {
    return calls.sum();
  }

  public long errorsTotal() {
    return errors.sum();
  }

  public long callsRejected() {
    return rejected.sum();
  }

  public long slowCalls() {
    return slow.sum();
  }

  public double queueTimeAvgMicros() {
    long n = calls.sum();
    return n == 0 ? 0 : queueNanos.sum() / 1_000.0 / n;
  }

  public double processingTimeAvgMicros() {
    long n = calls.sum();
    return n == 0 ? 0 : processingNanos.sum() / 1_000.0 / n;
  }

  /** Responses written completely (a response dropped with its connection is not). */
  public long responsesWritten() {
    return responses.sum();
  }

  /**
   * Average time from the end of a call's processing to its response's last byte written, over
   * the responses written.
   */
  public double responseTimeAvgMicros() {
    long n = responses.sum();
    return n == 0 ? 0 : responseNanos.sum() / 1_000.0 / n;
  }

  /** The statistics of one method, or {@code null} when it was never called. */
  public MethodStats method(String name) {
    Counters c = methods.get(name);
    return c == null ? null : snapshot(name, c);
  }

  /** A sorted snapshot of every method's statistics. */
  public Map<String, MethodStats> methods() {
    Map<String, MethodStats> out = new TreeMap<>();
    methods.forEach((name, c) -> out.put(name, snapshot(name, c)));
    return out;
  }

  private static MethodStats snapshot(String name, Counters c) {
    return new MethodStats(name, c.calls.sum(), c.errors.sum(), c.queueNanos.sum() / 1_000,
        c.processingNanos.sum() / 1_000, c.maxProcessingNanos.get() / 1_000, c.responses.sum(),
        c.responseNanos.sum() / 1_000);
  }
}
