package io.tusk.rpc;

import io.tusk.rpc.internal.ClassLoaders;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcResponseHeaderProto.RpcErrorCodeProto;
import io.tusk.rpc.wire.WireNames;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.util.Map;

/**
 * A call failed on the server: carries the server-side exception's class name, its message and the
 * error code of the response header.
 *
 * <p>Callers usually {@link #unwrapRemoteException(Class[]) unwrap} it into the exception type
 * their interface declares. The class name is the one on the wire: a Hadoop server sends Hadoop
 * names, and Tusk servers send Hadoop's names for framework errors too (see {@link WireName}).
 */
public class RemoteException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Hadoop names of framework errors and the Tusk types they unwrap to without being asked. */
  private static final Map<String, Class<? extends IOException>> KNOWN = Map.of(
      wireName(RpcServerException.class), RpcServerException.class,
      wireName(RpcNoSuchMethodException.class), RpcNoSuchMethodException.class,
      wireName(RpcNoSuchProtocolException.class), RpcNoSuchProtocolException.class,
      wireName(RetriableException.class), RetriableException.class,
      wireName(RPC.VersionMismatch.class), RPC.VersionMismatch.class);

  private final String className;
  private final RpcErrorCodeProto errorCode;

  public RemoteException(String className, String message) {
    this(className, message, null);
  }

  public RemoteException(String className, String message, RpcErrorCodeProto errorCode) {
    super(message);
    this.className = className;
    this.errorCode = errorCode;
  }

  /** The server-side exception's class name as sent on the wire. */
  public String getClassName() {
    return className;
  }

  /** The header's error code, or {@code null} when the server sent none. */
  public RpcErrorCodeProto getErrorCode() {
    return errorCode;
  }

  /**
   * Turns this into the first of {@code lookupTypes} whose class name or {@link WireName} equals
   * {@link #getClassName()}; the result's cause is this exception. Returns {@code this} when none
   * matches, when {@code lookupTypes} is null, or when the type cannot be built from a message
   * (it needs a public {@code (String)} constructor).
   *
   * <p>As Hadoop's {@code RemoteException.unwrapRemoteException(Class...)}, which ported code
   * calls on what a Writable proxy throws; the one addition is the match by {@link WireName}, so
   * that a Hadoop name such as {@code org.apache.hadoop.ipc.RPC$VersionMismatch} unwraps to the
   * Tusk type that travels under it. Types that are not IOExceptions never match (Hadoop returns
   * {@code this} for them too).
   */
  public IOException unwrapRemoteException(Class<?>... lookupTypes) {
    if (lookupTypes == null) {
      return this;
    }
    for (Class<?> type : lookupTypes) {
      if (IOException.class.isAssignableFrom(type) && names(type)) {
        return orThis(instantiateAs(type.asSubclass(IOException.class)));
      }
    }
    return this;
  }

  /**
   * Turns this into the exception type named on the wire when it is a Tusk framework error or an
   * {@link IOException} subclass loadable here with a {@code (String)} constructor; otherwise
   * returns {@code this}.
   */
  public IOException unwrapRemoteException() {
    Class<? extends IOException> known = KNOWN.get(className);
    if (known != null) {
      return orThis(instantiateAs(known));
    }
    try {
      Class<?> type = Class.forName(className, false, ClassLoaders.context(getClass()));
      if (IOException.class.isAssignableFrom(type)) {
        return orThis(instantiateAs(type.asSubclass(IOException.class)));
      }
    } catch (ClassNotFoundException | LinkageError e) {
      // not loadable here: keep the RemoteException
    }
    return this;
  }

  private IOException orThis(IOException ex) {
    return ex != null ? ex : this;
  }

  /**
   * Whether the class name on the wire names {@code type}: its class name or its
   * {@link WireName}. With {@link #instantiateAs}, what engines use to map an error to a
   * method's declared exception.
   */
  public boolean names(Class<?> type) {
    return type.getName().equals(className) || wireName(type).equals(className);
  }

  /**
   * This error as a {@code type}: a new {@code type(getMessage())} whose cause is this remote
   * exception, for callers that map the wire's class name to a local type (engines, to throw a
   * method's declared exception). The one place that builds an exception from a class and the
   * wire's message.
   *
   * @return the new exception, or null when {@code type} has no public {@code (String)}
   *     constructor or it failed
   */
  public <T extends Throwable> T instantiateAs(Class<T> type) {
    try {
      Constructor<T> ctor = type.getConstructor(String.class);
      // A public constructor of a class this package cannot see (Hadoop makes it accessible too).
      ctor.trySetAccessible();
      T ex = ctor.newInstance(getMessage());
      ex.initCause(this);
      return ex;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The name a type travels under: its {@link WireName} if annotated, else its class name
   * ({@link WireNames#of(Class)}).
   */
  public static String wireName(Class<?> type) {
    return WireNames.of(type);
  }

  @Override
  public String toString() {
    return getClass().getName() + "(" + className + "): " + getMessage();
  }
}
