package io.tusk.rpc.writable;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Objects;

/** Test types: small Writables and enums. */
final class Fixtures {

  private Fixtures() {}

  /** A Writable with a non-public no-argument constructor, as many Hadoop Writables have. */
  static final class Point implements Writable {
    int x;
    int y;

    Point() {}

    Point(int x, int y) {
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
      return Objects.hash(x, y);
    }

    @Override
    public String toString() {
      return "Point(" + x + "," + y + ")";
    }
  }

  /** A Writable that nobody can read back: it has no no-argument constructor. */
  static final class NoDefaultConstructor implements Writable {
    NoDefaultConstructor(int ignored) {}

    @Override
    public void write(DataOutput out) {}

    @Override
    public void readFields(DataInput in) {}
  }

  /** A Writable whose readFields throws an unchecked exception. */
  static final class Exploding implements Writable {
    @Override
    public void write(DataOutput out) {}

    @Override
    public void readFields(DataInput in) {
      throw new IllegalStateException("boom");
    }
  }

  enum Color { RED, GREEN, BLUE }

  /** An enum whose constants have bodies, so their classes are anonymous subclasses. */
  enum Op {
    ADD {
      @Override
      int apply(int a, int b) {
        return a + b;
      }
    },
    SUB {
      @Override
      int apply(int a, int b) {
        return a - b;
      }
    };

    abstract int apply(int a, int b);
  }
}
