package io.tusk.rpc.internal.server;

import io.tusk.rpc.server.MethodStats;
import io.tusk.rpc.server.RpcMetrics;
import io.tusk.rpc.server.RpcServerMXBean;
import java.lang.management.ManagementFactory;
import java.util.Map;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JMX face of a running server: registered when it starts, unregistered when it shuts down.
 * A failure to register (e.g. two servers with the same name and port in one JVM) is logged, never
 * fatal: metrics stay readable through {@code Server.metrics()}.
 */
final class ServerJmx implements RpcServerMXBean {
  private static final Logger LOG = LoggerFactory.getLogger(ServerJmx.class);

  private final ServerRuntime runtime;
  private final RpcMetrics metrics;
  private final ObjectName objectName;

  private ServerJmx(ServerRuntime runtime, ObjectName objectName) {
    this.runtime = runtime;
    this.metrics = runtime.metrics();
    this.objectName = objectName;
  }

  /** Registers the bean; returns null (after a log line) when that is not possible. */
  static ServerJmx register(ServerRuntime runtime, String name, int port) {
    try {
      ObjectName objectName = new ObjectName("io.tusk.rpc:type=Server,name="
          + ObjectName.quote(name) + ",port=" + port);
      ServerJmx bean = new ServerJmx(runtime, objectName);
      ManagementFactory.getPlatformMBeanServer().registerMBean(bean, objectName);
      return bean;
    } catch (JMException | RuntimeException e) {
      LOG.warn("{}: metrics not registered with JMX: {}", name, e.toString());
      return null;
    }
  }

  void unregister() {
    MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
    try {
      if (mbs.isRegistered(objectName)) {
        mbs.unregisterMBean(objectName);
      }
    } catch (JMException e) {
      LOG.debug("unregistering {}: {}", objectName, e.toString());
    }
  }

  @Override
  public long getCallsTotal() {
    return metrics.callsTotal();
  }

  @Override
  public long getErrorsTotal() {
    return metrics.errorsTotal();
  }

  @Override
  public long getCallsRejected() {
    return metrics.callsRejected();
  }

  @Override
  public long getSlowCalls() {
    return metrics.slowCalls();
  }

  @Override
  public double getQueueTimeAvgMicros() {
    return metrics.queueTimeAvgMicros();
  }

  @Override
  public double getProcessingTimeAvgMicros() {
    return metrics.processingTimeAvgMicros();
  }

  @Override
  public long getResponsesWritten() {
    return metrics.responsesWritten();
  }

  @Override
  public double getResponseTimeAvgMicros() {
    return metrics.responseTimeAvgMicros();
  }

  @Override
  public int getOpenConnections() {
    return runtime.openConnections();
  }

  @Override
  public int getCallQueueLength() {
    return runtime.callQueueLength();
  }

  @Override
  public long getBufferedRequestBytes() {
    return runtime.bufferedRequestBytes();
  }

  @Override
  public long getQueuedResponseBytes() {
    return runtime.queuedResponseBytes();
  }

  @Override
  public int getLiveHandlerCount() {
    return runtime.liveHandlers();
  }

  @Override
  public boolean isFailed() {
    return runtime.isFailed();
  }

  @Override
  public java.util.List<String> getFailures() {
    return runtime.failures();
  }

  @Override
  public Map<String, MethodStats> getMethods() {
    return metrics.methods();
  }
}
