package io.tusk.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The exception class name a Tusk exception travels under, so that Hadoop peers recognise it
 * (for example {@code org.apache.hadoop.ipc.RpcNoSuchMethodException}).
 *
 * <p>The server writes this name into {@code exceptionClassName}; {@link
 * RemoteException#unwrapRemoteException(Class[])} maps it back to the annotated Tusk type.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface WireName {
  /** The binary class name used on the wire. */
  String value();
}
