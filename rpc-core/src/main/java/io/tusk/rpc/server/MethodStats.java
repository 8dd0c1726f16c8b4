package io.tusk.rpc.server;

import java.beans.ConstructorProperties;

/**
 * A snapshot of one method's call statistics on a server. Times are in microseconds. A class with
 * getters (not a record) so that JMX can show it as composite data.
 */
public final class MethodStats {
  private final String method;
  private final long calls;
  private final long errors;
  private final long queueTimeTotalMicros;
  private final long processingTimeTotalMicros;
  private final long processingTimeMaxMicros;
  private final long responses;
  private final long responseTimeTotalMicros;

  /** Statistics without response times (as before they were measured). */
  public MethodStats(String method, long calls, long errors, long queueTimeTotalMicros,
      long processingTimeTotalMicros, long processingTimeMaxMicros) {
    this(method, calls, errors, queueTimeTotalMicros, processingTimeTotalMicros,
        processingTimeMaxMicros, 0, 0);
  }

  @ConstructorProperties({"method", "calls", "errors", "queueTimeTotalMicros",
      "processingTimeTotalMicros", "processingTimeMaxMicros", "responses",
      "responseTimeTotalMicros"})
  public MethodStats(String method, long calls, long errors, long queueTimeTotalMicros,
      long processingTimeTotalMicros, long processingTimeMaxMicros, long responses,
      long responseTimeTotalMicros) {
    this.responses = responses;
    this.responseTimeTotalMicros = responseTimeTotalMicros;
    this.method = method;
    this.calls = calls;
    this.errors = errors;
    this.queueTimeTotalMicros = queueTimeTotalMicros;
    this.processingTimeTotalMicros = processingTimeTotalMicros;
    this.processingTimeMaxMicros = processingTimeMaxMicros;
  }

  /** The method name (or the RpcKind's name for requests that do not name a method). */
  public String getMethod() {
    return method;
  }

  /** Calls completed, successful or not. */
  public long getCalls() {
    return calls;
  }

  /** Calls that ended in an error response. */
  public long getErrors() {
    return errors;
  }

  /** Total time the calls waited in the call queue. */
  public long getQueueTimeTotalMicros() {
    return queueTimeTotalMicros;
  }

  /** Total time the calls ran on handler threads. */
  public long getProcessingTimeTotalMicros() {
    return processingTimeTotalMicros;
  }

  /** The longest single processing time. */
  public long getProcessingTimeMaxMicros() {
    return processingTimeMaxMicros;
  }

  /** Responses written completely (not those dropped with their connection). */
  public long getResponses() {
    return responses;
  }

  /**
   * Total time from the end of processing to the response's last byte written, over
   * {@link #getResponses()}.
   */
  public long getResponseTimeTotalMicros() {
    return responseTimeTotalMicros;
  }

  /** Average response time, 0 without responses. */
  public double getResponseTimeAvgMicros() {
    return responses == 0 ? 0 : (double) responseTimeTotalMicros / responses;
  }

  /** Average queue time, 0 without calls. */
  public double getQueueTimeAvgMicros() {
    return calls == 0 ? 0 : (double) queueTimeTotalMicros / calls;
  }

  /** Average processing time, 0 without calls. */
  public double getProcessingTimeAvgMicros() {
    return calls == 0 ? 0 : (double) processingTimeTotalMicros / calls;
  }

  @Override
  public String toString() {
    return method + "[calls=" + calls + ", errors=" + errors + ", queueAvgUs="
        + String.format("%.1f", getQueueTimeAvgMicros()) + ", processingAvgUs="
        + String.format("%.1f", getProcessingTimeAvgMicros()) + ", processingMaxUs="
        + processingTimeMaxMicros + ", responseAvgUs="
        + String.format("%.1f", getResponseTimeAvgMicros()) + "]";
  }
}
