package org.apache.hadoop.ipc;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/**
 * Test stand-in with the name and members of Hadoop's {@code @ProtocolInfo}, which the meta-info
 * service reads by reflection; interop-hadoop checks the real one.
 */
@Retention(RetentionPolicy.RUNTIME)
public @interface ProtocolInfo {
  String protocolName();

  long protocolVersion() default -1;
}
