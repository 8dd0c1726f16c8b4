package io.tusk.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The class name a Tusk class travels under, so that Hadoop peers recognise it: an exception (for
 * example {@code org.apache.hadoop.ipc.RpcNoSuchMethodException}) or a Tusk stand-in for a Hadoop
 * class (for example {@code org.apache.hadoop.io.Text}).
 *
 * <p>For exceptions the server writes this name into {@code exceptionClassName}; {@link
 * RemoteException#unwrapRemoteException(Class[])} maps it back to the annotated Tusk type. For
 * any class, {@link ProtocolSignature#fingerprint(java.lang.reflect.Method) method fingerprints}
 * use this name, so a Tusk interface fingerprints like its Hadoop twin.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface WireName {
  /** The binary class name used on the wire. */
  String value();
}
