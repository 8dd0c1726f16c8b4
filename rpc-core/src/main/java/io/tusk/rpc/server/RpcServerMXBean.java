package io.tusk.rpc.server;

import java.util.Map;

/**
 * What a running {@link Server} shows over JMX, registered as
 * {@code io.tusk.rpc:type=Server,name=<server name>,port=<port>} while it runs.
 */
public interface RpcServerMXBean {
  /** Calls completed since start. */
  long getCallsTotal();

  /** Calls that ended in an error response. */
  long getErrorsTotal();

  /** Calls refused because the call queue was full. */
  long getCallsRejected();

  /** Calls logged as slow ({@code ipc.server.log.slow.rpc}). */
  long getSlowCalls();

  /** Average time calls waited in the queue, in microseconds. */
  double getQueueTimeAvgMicros();

  /** Average time calls ran on a handler, in microseconds. */
  double getProcessingTimeAvgMicros();

  /** Responses whose last byte was written (a response dropped with its connection is not). */
  long getResponsesWritten();

  /**
   * Average time from the end of a call's processing to its response's last byte in the socket
   * (encoding, waiting behind other responses, the writes), in microseconds.
   */
  double getResponseTimeAvgMicros();

  /** Connections currently open. */
  int getOpenConnections();

  /** Calls waiting in the call queue. */
  int getCallQueueLength();

  /** Bytes held by received request frames. */
  long getBufferedRequestBytes();

  /** Response bytes queued for clients that have not taken them yet. */
  long getQueuedResponseBytes();

  /** Handler threads alive; less than configured means one died (see {@link #isFailed()}). */
  int getLiveHandlerCount();

  /** True when one of the server's own threads ended while it was running. */
  boolean isFailed();

  /** Which threads ended and why, one line each; empty when not failed. */
  java.util.List<String> getFailures();

  /** Per-method statistics, keyed by method name. */
  Map<String, MethodStats> getMethods();
}
