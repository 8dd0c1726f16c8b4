package io.tusk.rpc.wire;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The one reader of varint-delimited protobuf messages, for the RPC headers at the start of every
 * frame ({@link RpcHeaders}) and for every part of the protobuf engine's payloads.
 *
 * <pre>
 * [varint n][message: n bytes][whatever follows: the next part, left for the caller]
 * </pre>
 *
 * <p>The two callers keep two dialects: the protobuf engine's failure texts must be word for word
 * what Hadoop's engine answers (it parses with protobuf-java's {@code parseFrom}), the RPC
 * header's are Tusk's own, for logs and the client's errors (the server's FATAL answer to a
 * broken request header words it as Hadoop does, see {@code RequestHeaderCheck}). The steps are
 * the same; the dialect only decides what is checked and how a failure is worded:
 *
 * <table>
 *   <caption>what each entry point checks</caption>
 *   <tr><th></th><th>{@link #readHeader readHeader} (RPC headers)</th>
 *       <th>{@link #parse parse} (engine payloads)</th></tr>
 *   <tr><td>no bytes left</td><td>"expected a delimited message, found end of frame"</td>
 *       <td>protobuf's "While parsing a protocol message, the input ended unexpectedly ..."</td></tr>
 *   <tr><td>negative length</td><td>"negative delimited message size n"</td>
 *       <td>"negative length n of a delimited <i>full.Name</i>"</td></tr>
 *   <tr><td>stray end-group tag</td><td colspan="2">protobuf's "Protocol message end-group tag did
 *       not match expected tag."</td></tr>
 *   <tr><td>required field missing</td><td>"message is missing required fields"</td>
 *       <td>protobuf's "Message missing required fields: a, b"</td></tr>
 * </table>
 *
 * <p>Over a {@link ByteBuffer}, parsing reads the buffer in place (its backing array when it has
 * one) and, on success, moves its position past the message, so that the next part can follow;
 * on failure the position is left where it was. Bytes after the message are not looked at.
 * Stateless and thread-safe.
 */
public final class DelimitedMessages {
  private DelimitedMessages() {}

  private enum Dialect { RPC_HEADER, PROTOBUF }

  /**
   * Reads one delimited RPC header (or connection context) from {@code in}: a missing, short,
   * badly ended or incomplete message is an error, never null.
   *
   * @throws IOException (an {@link InvalidProtocolBufferException}) naming what is wrong
   */
  public static <T extends MessageLite> T readHeader(CodedInputStream in, Parser<T> parser)
      throws IOException {
    return read(in, parser, Dialect.RPC_HEADER, null);
  }

  /** {@link #readHeader(CodedInputStream, Parser)} at {@code buffer}'s position. */
  public static <T extends MessageLite> T readHeader(ByteBuffer buffer, Parser<T> parser)
      throws IOException {
    return read(buffer, parser, Dialect.RPC_HEADER, null);
  }

  /**
   * Parses one delimited message of {@code prototype}'s type at {@code buffer}'s position, with
   * protobuf-java's checks and words (what Hadoop's protobuf engine reports to its peers).
   *
   * @throws InvalidProtocolBufferException when the bytes end early, are not a message of that
   *     type, or miss a required field
   */
  @SuppressWarnings("unchecked")
  public static <M extends Message> M parse(M prototype, ByteBuffer buffer)
      throws InvalidProtocolBufferException {
    try {
      return read(buffer, (Parser<M>) prototype.getParserForType(), Dialect.PROTOBUF,
          prototype.getDescriptorForType().getFullName());
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      // CodedInputStream over memory only throws InvalidProtocolBufferException; keep the type.
      throw new InvalidProtocolBufferException(e);
    }
  }

  private static <T extends MessageLite> T read(ByteBuffer buffer, Parser<T> parser,
      Dialect dialect, String typeName) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(buffer.duplicate());
    T message = read(in, parser, dialect, typeName);
    buffer.position(buffer.position() + in.getTotalBytesRead());
    return message;
  }

  private static <T extends MessageLite> T read(CodedInputStream in, Parser<T> parser,
      Dialect dialect, String typeName) throws IOException {
    boolean header = dialect == Dialect.RPC_HEADER;
    if (header && in.isAtEnd()) {
      throw new InvalidProtocolBufferException("expected a delimited message, found end of frame");
    }
    int size = in.readRawVarint32(); // at the end: protobuf's own "input ended unexpectedly"
    if (size < 0) {
      throw new InvalidProtocolBufferException(header ? "negative delimited message size " + size
          : "negative length " + size + " of a delimited " + typeName);
    }
    int oldLimit = in.pushLimit(size);
    T message;
    if (header) {
      message = parser.parsePartialFrom(in);
      in.checkLastTagWas(0);
    } else {
      message = parser.parseFrom(in); // checks required fields in protobuf's words
    }
    in.popLimit(oldLimit);
    if (!message.isInitialized()) { // only a header gets here incomplete
      throw new InvalidProtocolBufferException("message is missing required fields")
          .setUnfinishedMessage(message);
    }
    return message;
  }
}
