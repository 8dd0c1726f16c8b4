package org.apache.hadoop.ipc;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.Writable;

/**
 * Reaches Hadoop's {@code WritableRpcEngine$Invocation} (a private nested class) for golden-byte
 * tests: the bytes Hadoop's Writable client puts after the RPC header for a call, and Hadoop's
 * server-side reading of an Invocation's bytes. Lives in {@code org.apache.hadoop.ipc} next to
 * {@link HadoopIpcAccess}; the class itself still needs reflection because it is private.
 */
public final class HadoopWritableRpcAccess {
  private static final Class<?> INVOCATION;
  private static final Constructor<?> FOR_CALL;
  private static final Constructor<?> EMPTY;

  static {
    try {
      INVOCATION = Class.forName("org.apache.hadoop.ipc.WritableRpcEngine$Invocation");
      FOR_CALL = INVOCATION.getDeclaredConstructor(Method.class, Object[].class);
      FOR_CALL.setAccessible(true);
      EMPTY = INVOCATION.getDeclaredConstructor();
      EMPTY.setAccessible(true);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private HadoopWritableRpcAccess() {}

  /** What Hadoop decoded from an Invocation's bytes. */
  public record DecodedInvocation(long rpcVersion, String protocolName, String methodName,
      long clientVersion, int clientMethodsHash, Class<?>[] parameterClasses,
      Object[] parameters) {}

  /** The bytes Hadoop's Writable proxy sends for {@code method(args)}. */
  public static byte[] writeInvocation(Method method, Object... args) throws IOException {
    Writable invocation = newInstance(FOR_CALL, method, args);
    ((org.apache.hadoop.conf.Configurable) invocation).setConf(new Configuration(false));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    invocation.write(new DataOutputStream(bytes));
    return bytes.toByteArray();
  }

  /** Reads {@code bytes} as Hadoop's Writable server does, before it looks the method up. */
  public static DecodedInvocation readInvocation(byte[] bytes) throws IOException {
    Writable invocation = newInstance(EMPTY);
    ((org.apache.hadoop.conf.Configurable) invocation).setConf(new Configuration(false));
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    invocation.readFields(in);
    if (in.available() != 0) {
      throw new IOException(in.available() + " bytes left after Hadoop read the Invocation");
    }
    return new DecodedInvocation(
        (Long) field(invocation, "rpcVersion"),
        (String) field(invocation, "declaringClassProtocolName"),
        (String) field(invocation, "methodName"),
        (Long) field(invocation, "clientVersion"),
        (Integer) field(invocation, "clientMethodsHash"),
        (Class<?>[]) field(invocation, "parameterClasses"),
        (Object[]) field(invocation, "parameters"));
  }

  /** Hadoop's fingerprint of one method ({@code ProtocolSignature.getFingerprint}, package-private). */
  public static int fingerprint(Method method) {
    return ProtocolSignature.getFingerprint(method);
  }

  /** Hadoop's fingerprint of a set of methods, as its Writable client sends it. */
  public static int fingerprint(Method[] methods) {
    return ProtocolSignature.getFingerprint(methods);
  }

  private static Writable newInstance(Constructor<?> constructor, Object... args) {
    try {
      return (Writable) constructor.newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create Hadoop's Invocation", e);
    }
  }

  private static Object field(Object target, String name) {
    try {
      java.lang.reflect.Field field = INVOCATION.getDeclaredField(name);
      field.setAccessible(true);
      return field.get(target);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Hadoop's Invocation has no field " + name, e);
    }
  }
}
