package io.tusk.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names a protocol interface on the wire and gives its version, as Hadoop's annotation of the same
 * name does. Without it the protocol name is the interface's class name and the version comes from
 * a static {@code versionID} field.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ProtocolInfo {
  /** The protocol name sent in requests and the connection context. */
  String protocolName();

  /** The protocol version; -1 means "use the static versionID field". */
  long protocolVersion() default -1;
}
