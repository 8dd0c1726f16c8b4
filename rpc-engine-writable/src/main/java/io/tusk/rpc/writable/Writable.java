package io.tusk.rpc.writable;

import io.tusk.rpc.WireName;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A value that serializes itself to a {@link DataOutput} and back, the way Hadoop's
 * {@code org.apache.hadoop.io.Writable} does. This is the unit of the Writable RPC engine: request
 * parameters, return values and the {@link Invocation} itself are all Writables.
 *
 * <p>Writables are mutable: a reader creates an instance with its no-argument constructor (which
 * may be non-public) and then calls {@link #readFields(DataInput)}. Implementations must therefore
 * have a no-argument constructor when they travel inside an {@link ObjectWritable}, and must read
 * exactly the bytes that {@link #write(DataOutput)} wrote, because nothing on the wire marks where a
 * Writable ends.
 *
 * <p>On the wire, {@link ObjectWritable} names this interface {@code org.apache.hadoop.io.Writable}
 * (see {@link WireClassResolver}), so a Tusk class and a Hadoop class with the same fully qualified
 * name and the same {@code write}/{@code readFields} are interchangeable.
 *
 * <p>Instances are not thread-safe unless an implementation says so.
 */
@WireName("org.apache.hadoop.io.Writable")
public interface Writable {

  /**
   * Writes this value's fields to {@code out}.
   *
   * @param out where the bytes go
   * @throws IOException if {@code out} fails or the value cannot be encoded
   */
  void write(DataOutput out) throws IOException;

  /**
   * Replaces this value's fields with ones read from {@code in}, consuming exactly the bytes that
   * {@link #write(DataOutput)} produces.
   *
   * @param in where the bytes come from
   * @throws java.io.EOFException if {@code in} ends before the value does
   * @throws IOException if {@code in} fails or holds bytes that do not decode
   */
  void readFields(DataInput in) throws IOException;
}
