package io.tusk.rpc.internal;

import io.tusk.rpc.ProtocolInfo;
import io.tusk.rpc.wire.HadoopNames;
import java.lang.annotation.Annotation;

/**
 * The one place that reads a protocol's wire name from its annotations. Not an API: user code
 * calls {@code RPC.getProtocolName}, which delegates here.
 *
 * <ul>
 *   <li>{@link #of(Class)}: Tusk's {@link ProtocolInfo#protocolName()}, else the class name; the
 *       name a Tusk client and server use for their own interfaces.</li>
 *   <li>{@link #ofAnyAnnotation(Class)}: as {@link #of(Class)}, but a class without Tusk's
 *       annotation that carries Hadoop's ({@code org.apache.hadoop.ipc.ProtocolInfo}, read by
 *       reflection so that rpc-core needs no Hadoop jar) is named by that one. For classes a peer
 *       names and the server loads by name (the protocol meta-info service), which may be written
 *       for Hadoop.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class ProtocolNames {
  private ProtocolNames() {}

  /** Tusk's {@link ProtocolInfo#protocolName()} of {@code protocol}, else its class name. */
  public static String of(Class<?> protocol) {
    ProtocolInfo info = protocol.getAnnotation(ProtocolInfo.class);
    return info != null ? info.protocolName() : protocol.getName();
  }

  /**
   * Tusk's {@link ProtocolInfo} name, else the non-empty {@code protocolName} of Hadoop's
   * {@code @ProtocolInfo}, else the class name.
   */
  public static String ofAnyAnnotation(Class<?> protocol) {
    if (protocol.getAnnotation(ProtocolInfo.class) == null) {
      for (Annotation annotation : protocol.getAnnotations()) {
        if (annotation.annotationType().getName().equals(HadoopNames.PROTOCOL_INFO)) {
          try {
            Object name = annotation.annotationType().getMethod("protocolName").invoke(annotation);
            if (name instanceof String s && !s.isEmpty()) {
              return s;
            }
          } catch (ReflectiveOperationException e) {
            // not the annotation we know: fall back to Tusk's rules
          }
        }
      }
    }
    return of(protocol);
  }
}
