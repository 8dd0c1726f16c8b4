package io.tusk.rpc;

import io.tusk.rpc.wire.Fingerprints;
import io.tusk.rpc.wire.WireNames;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * A protocol's version plus the fingerprints of its methods, so a client can tell which methods a
 * server supports. Fingerprints are computed exactly as Hadoop computes them, so a Tusk client and
 * a Hadoop server (or the reverse) agree on them.
 *
 * <p>The fingerprints are {@link Fingerprints}' over {@link WireNames#of(Class)}: a class's name is
 * its {@link WireName} if it has one (Tusk's stand-ins for Hadoop classes, e.g. this record is
 * org.apache.hadoop.ipc.ProtocolSignature), else getName().
 *
 * <pre>
 * Writable layout: long version | boolean hasMethods | [int count | int fingerprint ...]
 * </pre>
 *
 * @param version the protocol version the server serves
 * @param methods method fingerprints, or {@code null} (Hadoop's "the client's methods match")
 */
@WireName("org.apache.hadoop.ipc.ProtocolSignature")
public record ProtocolSignature(long version, int[] methods) {

  private static final ClassValue<int[]> FINGERPRINTS = new ClassValue<>() {
    @Override
    protected int[] computeValue(Class<?> protocol) {
      return fingerprints(protocol.getMethods());
    }
  };

  /** Hadoop's fingerprint of one method: its name, return type and parameter types. */
  public static int fingerprint(Method method) {
    return Fingerprints.of(method, WireNames::of);
  }

  /**
   * The name {@code type} has in a fingerprint, as Hadoop names the class it stands for:
   * primitives and ordinary classes by {@link Class#getName()}, a class annotated with
   * {@link WireName} by that name (so {@code io.tusk.rpc.writable.Text} hashes as
   * {@code org.apache.hadoop.io.Text}), arrays of such classes as {@code "[L" + name + ";"}.
   */
  public static String wireName(Class<?> type) {
    return WireNames.of(type);
  }

  /** The fingerprint of each method, in the given order. */
  public static int[] fingerprints(Method[] methods) {
    return Fingerprints.of(methods, WireNames::of);
  }

  /** One number for a whole set of fingerprints (order does not matter). */
  public static int fingerprint(int[] fingerprints) {
    return Fingerprints.ofSet(fingerprints);
  }

  /** One number for a set of methods: the {@code clientMethodsHash} of a Writable Invocation. */
  public static int fingerprint(Method[] methods) {
    return Fingerprints.ofSet(methods, WireNames::of);
  }

  /** The public methods' fingerprints of {@code protocol} (cached per class; do not modify). */
  public static int[] fingerprintsOf(Class<?> protocol) {
    return FINGERPRINTS.get(protocol);
  }

  /** The signature of {@code protocol} served at {@code version}. */
  public static ProtocolSignature of(Class<?> protocol, long version) {
    return new ProtocolSignature(version, fingerprintsOf(protocol).clone());
  }

  /** Writes Hadoop's Writable layout (see the class comment). */
  public void write(DataOutput out) throws IOException {
    out.writeLong(version);
    if (methods == null) {
      out.writeBoolean(false);
    } else {
      out.writeBoolean(true);
      out.writeInt(methods.length);
      for (int m : methods) {
        out.writeInt(m);
      }
    }
  }

  /**
   * Reads Hadoop's Writable layout. The fingerprint array grows as fingerprints arrive, so a
   * count the peer announces but does not send costs at most twice what did arrive.
   */
  public static ProtocolSignature read(DataInput in) throws IOException {
    long version = in.readLong();
    if (!in.readBoolean()) {
      return new ProtocolSignature(version, null);
    }
    int count = in.readInt();
    if (count < 0 || count > 65_536) {
      throw new IOException("implausible method count " + count + " in a ProtocolSignature");
    }
    int[] methods = new int[Math.min(count, 64)];
    for (int i = 0; i < count; i++) {
      if (i == methods.length) {
        methods = java.util.Arrays.copyOf(methods, Math.min(count, methods.length * 2));
      }
      methods[i] = in.readInt();
    }
    return new ProtocolSignature(version, methods);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProtocolSignature other && version == other.version
        && Arrays.equals(methods, other.methods);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(version) * 31 + Arrays.hashCode(methods);
  }

  @Override
  public String toString() {
    return "ProtocolSignature[version=" + version + ", methods=" + Arrays.toString(methods) + "]";
  }
}
