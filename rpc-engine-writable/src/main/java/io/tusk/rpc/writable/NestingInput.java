package io.tusk.rpc.writable;

import java.io.DataInput;
import java.io.IOException;

/**
 * Any {@link DataInput} made a {@link DecodingInput}: it delegates every read and adds the nesting
 * level, so that a Writable reading further ObjectWritables from it still counts toward the
 * limit. It cannot know how many bytes are left, so arrays read from it grow as their elements
 * arrive. {@link ObjectWritable#read} wraps an input that is not already a {@link DecodingInput}
 * in one; Writables read through it see it, not the caller's input.
 *
 * <p>Not thread-safe.
 */
final class NestingInput implements DecodingInput {
  private final DataInput in;
  private int nesting;

  NestingInput(DataInput in) {
    this.in = in;
  }

  @Override
  public int remaining() {
    return UNKNOWN;
  }

  @Override
  public int nesting() {
    return nesting;
  }

  @Override
  public void nesting(int level) {
    nesting = level;
  }

  @Override
  public void readFully(byte[] b) throws IOException {
    in.readFully(b);
  }

  @Override
  public void readFully(byte[] b, int off, int len) throws IOException {
    in.readFully(b, off, len);
  }

  @Override
  public int skipBytes(int n) throws IOException {
    return in.skipBytes(n);
  }

  @Override
  public boolean readBoolean() throws IOException {
    return in.readBoolean();
  }

  @Override
  public byte readByte() throws IOException {
    return in.readByte();
  }

  @Override
  public int readUnsignedByte() throws IOException {
    return in.readUnsignedByte();
  }

  @Override
  public short readShort() throws IOException {
    return in.readShort();
  }

  @Override
  public int readUnsignedShort() throws IOException {
    return in.readUnsignedShort();
  }

  @Override
  public char readChar() throws IOException {
    return in.readChar();
  }

  @Override
  public int readInt() throws IOException {
    return in.readInt();
  }

  @Override
  public long readLong() throws IOException {
    return in.readLong();
  }

  @Override
  public float readFloat() throws IOException {
    return in.readFloat();
  }

  @Override
  public double readDouble() throws IOException {
    return in.readDouble();
  }

  @Override
  @SuppressWarnings("deprecation")
  public String readLine() throws IOException {
    return in.readLine();
  }

  @Override
  public String readUTF() throws IOException {
    return in.readUTF();
  }
}
