package io.tusk.rpc.writable;

import io.tusk.rpc.ProtocolInfo;
import io.tusk.rpc.ProtocolSignature;
import io.tusk.rpc.VersionedProtocol;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Protocols and implementations for the engine's tests. */
final class TestProtocols {
  private TestProtocols() {}

  /** A public enum (a proxy can only use types it can access). */
  public enum Color { RED, GREEN, BLUE }

  /** A public custom Writable. */
  public static final class Point implements Writable {
    int x;
    int y;

    public Point() {}

    public Point(int x, int y) {
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
      return o instanceof Point p && p.x == x && p.y == y;
    }

    @Override
    public int hashCode() {
      return 31 * x + y;
    }

    @Override
    public String toString() {
      return "Point(" + x + "," + y + ")";
    }
  }

  /** An application exception a method declares; it unwraps to itself on the proxy. */
  public static class QuotaExceededException extends IOException {
    private static final long serialVersionUID = 1L;

    public QuotaExceededException(String message) {
      super(message);
    }
  }

  /** Every argument and return type the Writable engine carries. */
  @ProtocolInfo(protocolName = "tusk.test.Everything", protocolVersion = 3)
  public interface Everything {
    boolean not(boolean b) throws IOException;

    byte nextByte(byte b) throws IOException;

    char upper(char c) throws IOException;

    short negate(short s) throws IOException;

    int add(int a, int b) throws IOException;

    long multiply(long a, long b) throws IOException;

    float half(float f) throws IOException;

    double twice(double d) throws IOException;

    Integer boxedAdd(Integer a, Long b) throws IOException;

    Boolean boxedNot(Boolean b) throws IOException;

    String concat(String a, String b) throws IOException;

    String describeNulls(String s, Text t, int[] values) throws IOException;

    String nullString() throws IOException;

    int[] reverse(int[] values) throws IOException;

    byte[] reverseBytes(byte[] values) throws IOException;

    String[] split(String words) throws IOException;

    Writable[] asTexts(String[] words) throws IOException;

    int totalLength(Writable[] texts) throws IOException;

    Color next(Color color) throws IOException;

    Text shout(Text text) throws IOException;

    Point move(Point p, int dx) throws IOException;

    void remember(String value) throws IOException;

    String recall() throws IOException;

    void failWith(String message) throws IOException;

    void failUnchecked(String message) throws IOException;

    void overQuota(long bytes) throws QuotaExceededException;

    String undeclaredFailure(String message);
  }

  /** Same wire name and version as {@link Everything}, with a method the server lacks. */
  @ProtocolInfo(protocolName = "tusk.test.Everything", protocolVersion = 3)
  public interface EverythingPlus {
    String missing(int x) throws IOException;
  }

  /** A protocol no test server hosts. */
  @ProtocolInfo(protocolName = "tusk.test.Nobody", protocolVersion = 1)
  public interface Nobody {
    String hello() throws IOException;
  }

  /** The implementation of {@link Everything}. */
  public static final class EverythingImpl implements Everything {
    private final String name;
    private volatile String remembered;

    EverythingImpl(String name) {
      this.name = name;
    }

    @Override
    public boolean not(boolean b) {
      return !b;
    }

    @Override
    public byte nextByte(byte b) {
      return (byte) (b + 1);
    }

    @Override
    public char upper(char c) {
      return Character.toUpperCase(c);
    }

    @Override
    public short negate(short s) {
      return (short) -s;
    }

    @Override
    public int add(int a, int b) {
      return a + b;
    }

    @Override
    public long multiply(long a, long b) {
      return a * b;
    }

    @Override
    public float half(float f) {
      return f / 2;
    }

    @Override
    public double twice(double d) {
      return d * 2;
    }

    @Override
    public Integer boxedAdd(Integer a, Long b) {
      return (int) (a + b);
    }

    @Override
    public Boolean boxedNot(Boolean b) {
      return !b;
    }

    @Override
    public String concat(String a, String b) {
      return name + ":" + a + b;
    }

    @Override
    public String describeNulls(String s, Text t, int[] values) {
      return "s=" + s + ",t=" + t + ",values=" + (values == null ? "null" : values.length);
    }

    @Override
    public String nullString() {
      return null;
    }

    @Override
    public int[] reverse(int[] values) {
      int[] out = new int[values.length];
      for (int i = 0; i < values.length; i++) {
        out[i] = values[values.length - 1 - i];
      }
      return out;
    }

    @Override
    public byte[] reverseBytes(byte[] values) {
      byte[] out = new byte[values.length];
      for (int i = 0; i < values.length; i++) {
        out[i] = values[values.length - 1 - i];
      }
      return out;
    }

    @Override
    public String[] split(String words) {
      return words.split(" ");
    }

    @Override
    public Writable[] asTexts(String[] words) {
      Writable[] out = new Writable[words.length];
      for (int i = 0; i < words.length; i++) {
        out[i] = new Text(words[i]);
      }
      return out;
    }

    @Override
    public int totalLength(Writable[] texts) {
      int total = 0;
      for (Writable w : texts) {
        total += w.toString().length();
      }
      return total;
    }

    @Override
    public Color next(Color color) {
      return Color.values()[(color.ordinal() + 1) % Color.values().length];
    }

    @Override
    public Text shout(Text text) {
      return new Text(text.toString().toUpperCase() + "!");
    }

    @Override
    public Point move(Point p, int dx) {
      return new Point(p.x + dx, p.y);
    }

    @Override
    public void remember(String value) {
      remembered = value;
    }

    @Override
    public String recall() {
      return remembered;
    }

    @Override
    public void failWith(String message) throws IOException {
      throw new FileNotFoundException(message);
    }

    @Override
    public void failUnchecked(String message) {
      throw new IllegalStateException(message);
    }

    @Override
    public void overQuota(long bytes) throws QuotaExceededException {
      throw new QuotaExceededException("quota exceeded by " + bytes + " bytes");
    }

    @Override
    public String undeclaredFailure(String message) {
      throw new UnsupportedOperationException(message);
    }
  }

  /** A versioned base protocol. */
  public interface Base extends VersionedProtocol {
    long versionID = 1L;

    String base(String s) throws IOException;
  }

  /** A protocol extending {@link Base}: a server hosting it serves both. */
  public interface Child extends Base {
    long versionID = 2L;

    String child(String s) throws IOException;
  }

  /** The implementation of {@link Child} (and so of {@link Base}). */
  public static final class ChildImpl implements Child {
    final List<String> signatureRequests = new ArrayList<>();

    @Override
    public String base(String s) {
      return "base:" + s;
    }

    @Override
    public String child(String s) {
      return "child:" + s;
    }

    @Override
    public long getProtocolVersion(String protocol, long clientVersion) {
      return protocol.equals(Base.class.getName()) ? Base.versionID : Child.versionID;
    }

    @Override
    public synchronized ProtocolSignature getProtocolSignature(String protocol,
        long clientVersion, int clientMethodsHash) {
      signatureRequests.add(protocol + "/" + clientVersion);
      return ProtocolSignature.of(Child.class, Child.versionID);
    }
  }
}
