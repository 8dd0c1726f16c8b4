package io.tusk.rpc.interop.writable;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;

/**
 * One Writable protocol, {@value #NAME} version {@value #VERSION}, written twice: once with Hadoop's
 * types and annotations ({@link HadoopCalculator}, served or called by hadoop-common 3.4.2) and once
 * with Tusk's ({@link TuskCalculator}). Method for method the two have the same names and the same
 * wire types ({@code org.apache.hadoop.io.Text} there, {@code io.tusk.rpc.writable.Text} here), so
 * their Hadoop method fingerprints must be equal. Plus the variants the error cases need: an extra
 * method the other side does not have, and a version nobody hosts.
 */
public final class CalculatorProtocols {
  private CalculatorProtocols() {}

  /** The protocol name on both sides. */
  public static final String NAME = "tusk.interop.Calculator";

  /** The protocol version both sides host. */
  public static final long VERSION = 4;

  /** A version no server hosts. */
  public static final long UNHOSTED_VERSION = 99;

  /** An enum both sides load (enums travel by class name and constant name). */
  public enum Shade { LIGHT, MEDIUM, DARK }

  /**
   * A custom Writable both sides can read: it implements Hadoop's and Tusk's {@code Writable},
   * so the same class name means the same thing on either side of the wire.
   */
  public static final class DualPoint
      implements org.apache.hadoop.io.Writable, io.tusk.rpc.writable.Writable {
    private int x;
    private int y;

    public DualPoint() {}

    public DualPoint(int x, int y) {
      this.x = x;
      this.y = y;
    }

    @Override
    public void write(DataOutput out) throws IOException {
      out.writeInt(x);
      out.writeInt(y);
    }

    @Override
    public void readFields(DataInput in) throws IOException {
      x = in.readInt();
      y = in.readInt();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof DualPoint p && p.x == x && p.y == y;
    }

    @Override
    public int hashCode() {
      return 31 * x + y;
    }

    @Override
    public String toString() {
      return "DualPoint(" + x + "," + y + ")";
    }
  }

  /** An application exception both sides declare; each side's proxy should get it back. */
  public static class QuotaExceededException extends IOException {
    private static final long serialVersionUID = 1L;

    public QuotaExceededException(String message) {
      super(message);
    }
  }

  /** The protocol with Hadoop's types, as a Hadoop application would write it. */
  @org.apache.hadoop.ipc.ProtocolInfo(protocolName = NAME, protocolVersion = VERSION)
  public interface HadoopCalculator extends org.apache.hadoop.ipc.VersionedProtocol {
    boolean not(boolean b) throws IOException;

    int add(int a, int b) throws IOException;

    long multiply(long a, long b) throws IOException;

    double half(double d) throws IOException;

    String concat(String a, String b) throws IOException;

    String[] split(String words) throws IOException;

    int totalLength(String[] words) throws IOException;

    byte[] reverse(byte[] bytes) throws IOException;

    int[] squares(int[] values) throws IOException;

    org.apache.hadoop.io.Text shout(org.apache.hadoop.io.Text text) throws IOException;

    String describe(String s, org.apache.hadoop.io.Text t, byte[] b) throws IOException;

    String nothing() throws IOException;

    Shade darker(Shade shade) throws IOException;

    DualPoint move(DualPoint p, int dx) throws IOException;

    void remember(String value) throws IOException;

    String recall() throws IOException;

    void overQuota(long bytes) throws IOException;

    void failUnchecked(String message) throws IOException;
  }

  /** The same protocol with Tusk's types. */
  @io.tusk.rpc.ProtocolInfo(protocolName = NAME, protocolVersion = VERSION)
  public interface TuskCalculator extends io.tusk.rpc.VersionedProtocol {
    boolean not(boolean b) throws IOException;

    int add(int a, int b) throws IOException;

    long multiply(long a, long b) throws IOException;

    double half(double d) throws IOException;

    String concat(String a, String b) throws IOException;

    String[] split(String words) throws IOException;

    int totalLength(String[] words) throws IOException;

    byte[] reverse(byte[] bytes) throws IOException;

    int[] squares(int[] values) throws IOException;

    io.tusk.rpc.writable.Text shout(io.tusk.rpc.writable.Text text) throws IOException;

    String describe(String s, io.tusk.rpc.writable.Text t, byte[] b) throws IOException;

    String nothing() throws IOException;

    Shade darker(Shade shade) throws IOException;

    DualPoint move(DualPoint p, int dx) throws IOException;

    void remember(String value) throws IOException;

    String recall() throws IOException;

    void overQuota(long bytes) throws QuotaExceededException, IOException;

    void failUnchecked(String message) throws IOException;
  }

  /** Same name and version as {@link HadoopCalculator}, with a method no server has. */
  @org.apache.hadoop.ipc.ProtocolInfo(protocolName = NAME, protocolVersion = VERSION)
  public interface HadoopCalculatorWithExtra {
    int missing(int x) throws IOException;
  }

  /** Same name, a version no server hosts. */
  @org.apache.hadoop.ipc.ProtocolInfo(protocolName = NAME, protocolVersion = UNHOSTED_VERSION)
  public interface HadoopCalculatorV99 {
    int add(int a, int b) throws IOException;
  }

  /** Tusk's calculator plus a method no server has, same name and version. */
  @io.tusk.rpc.ProtocolInfo(protocolName = NAME, protocolVersion = VERSION)
  public interface TuskCalculatorPlus extends TuskCalculator {
    int missing(int x) throws IOException;
  }

  /** What both implementations answer, written once over plain Java values. */
  static final class Logic {
    private volatile String remembered;

    boolean not(boolean b) {
      return !b;
    }

    int add(int a, int b) {
      return a + b;
    }

    long multiply(long a, long b) {
      return a * b;
    }

    double half(double d) {
      return d / 2;
    }

    String concat(String a, String b) {
      return a + b;
    }

    String[] split(String words) {
      return words.split(" ");
    }

    int totalLength(String[] words) {
      return Arrays.stream(words).mapToInt(String::length).sum();
    }

    byte[] reverse(byte[] bytes) {
      byte[] out = new byte[bytes.length];
      for (int i = 0; i < bytes.length; i++) {
        out[i] = bytes[bytes.length - 1 - i];
      }
      return out;
    }

    int[] squares(int[] values) {
      return Arrays.stream(values).map(v -> v * v).toArray();
    }

    String shout(String text) {
      return text.toUpperCase(Locale.ROOT) + "!";
    }

    String describe(String s, String t, byte[] b) {
      return "s=" + s + ",t=" + t + ",b=" + (b == null ? "null" : Arrays.toString(b));
    }

    Shade darker(Shade shade) {
      return Shade.values()[Math.min(shade.ordinal() + 1, Shade.values().length - 1)];
    }

    DualPoint move(DualPoint p, int dx) {
      return new DualPoint(p.x + dx, p.y);
    }

    void remember(String value) {
      remembered = value;
    }

    String recall() {
      return remembered;
    }

    void overQuota(long bytes) throws QuotaExceededException {
      throw new QuotaExceededException("quota exceeded by " + bytes + " bytes");
    }

    void failUnchecked(String message) {
      throw new IllegalStateException(message);
    }
  }

  /** The Hadoop-side implementation, hosted by Hadoop's {@code RPC.Builder} server. */
  public static final class HadoopCalculatorImpl implements HadoopCalculator {
    private final Logic logic = new Logic();

    @Override
    public long getProtocolVersion(String protocol, long clientVersion) {
      return VERSION;
    }

    @Override
    public org.apache.hadoop.ipc.ProtocolSignature getProtocolSignature(String protocol,
        long clientVersion, int clientMethodsHash) throws IOException {
      // Hadoop's getProtocolSignature(this, protocol, ...) would Class.forName(protocol), which
      // fails for an @ProtocolInfo name; this overload takes the interface instead.
      return org.apache.hadoop.ipc.ProtocolSignature.getProtocolSignature(clientMethodsHash,
          getProtocolVersion(protocol, clientVersion), HadoopCalculator.class);
    }

    @Override
    public boolean not(boolean b) {
      return logic.not(b);
    }

    @Override
    public int add(int a, int b) {
      return logic.add(a, b);
    }

    @Override
    public long multiply(long a, long b) {
      return logic.multiply(a, b);
    }

    @Override
    public double half(double d) {
      return logic.half(d);
    }

    @Override
    public String concat(String a, String b) {
      return logic.concat(a, b);
    }

    @Override
    public String[] split(String words) {
      return logic.split(words);
    }

    @Override
    public int totalLength(String[] words) {
      return logic.totalLength(words);
    }

    @Override
    public byte[] reverse(byte[] bytes) {
      return logic.reverse(bytes);
    }

    @Override
    public int[] squares(int[] values) {
      return logic.squares(values);
    }

    @Override
    public org.apache.hadoop.io.Text shout(org.apache.hadoop.io.Text text) {
      return new org.apache.hadoop.io.Text(logic.shout(text.toString()));
    }

    @Override
    public String describe(String s, org.apache.hadoop.io.Text t, byte[] b) {
      return logic.describe(s, t == null ? null : t.toString(), b);
    }

    @Override
    public String nothing() {
      return null;
    }

    @Override
    public Shade darker(Shade shade) {
      return logic.darker(shade);
    }

    @Override
    public DualPoint move(DualPoint p, int dx) {
      return logic.move(p, dx);
    }

    @Override
    public void remember(String value) {
      logic.remember(value);
    }

    @Override
    public String recall() {
      return logic.recall();
    }

    @Override
    public void overQuota(long bytes) throws IOException {
      logic.overQuota(bytes);
    }

    @Override
    public void failUnchecked(String message) {
      logic.failUnchecked(message);
    }
  }

  /** The Tusk-side implementation, hosted by Tusk's {@code RPC.Builder} server. */
  public static final class TuskCalculatorImpl implements TuskCalculator {
    private final Logic logic = new Logic();

    @Override
    public long getProtocolVersion(String protocol, long clientVersion) {
      return VERSION;
    }

    @Override
    public io.tusk.rpc.ProtocolSignature getProtocolSignature(String protocol,
        long clientVersion, int clientMethodsHash) {
      return io.tusk.rpc.ProtocolSignature.of(TuskCalculator.class, VERSION);
    }

    @Override
    public boolean not(boolean b) {
      return logic.not(b);
    }

    @Override
    public int add(int a, int b) {
      return logic.add(a, b);
    }

    @Override
    public long multiply(long a, long b) {
      return logic.multiply(a, b);
    }

    @Override
    public double half(double d) {
      return logic.half(d);
    }

    @Override
    public String concat(String a, String b) {
      return logic.concat(a, b);
    }

    @Override
    public String[] split(String words) {
      return logic.split(words);
    }

    @Override
    public int totalLength(String[] words) {
      return logic.totalLength(words);
    }

    @Override
    public byte[] reverse(byte[] bytes) {
      return logic.reverse(bytes);
    }

    @Override
    public int[] squares(int[] values) {
      return logic.squares(values);
    }

    @Override
    public io.tusk.rpc.writable.Text shout(io.tusk.rpc.writable.Text text) {
      return new io.tusk.rpc.writable.Text(logic.shout(text.toString()));
    }

    @Override
    public String describe(String s, io.tusk.rpc.writable.Text t, byte[] b) {
      return logic.describe(s, t == null ? null : t.toString(), b);
    }

    @Override
    public String nothing() {
      return null;
    }

    @Override
    public Shade darker(Shade shade) {
      return logic.darker(shade);
    }

    @Override
    public DualPoint move(DualPoint p, int dx) {
      return logic.move(p, dx);
    }

    @Override
    public void remember(String value) {
      logic.remember(value);
    }

    @Override
    public String recall() {
      return logic.recall();
    }

    @Override
    public void overQuota(long bytes) throws QuotaExceededException {
      logic.overQuota(bytes);
    }

    @Override
    public void failUnchecked(String message) {
      logic.failUnchecked(message);
    }
  }
}
