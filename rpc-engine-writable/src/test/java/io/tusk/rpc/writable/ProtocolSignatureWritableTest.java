package io.tusk.rpc.writable;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.ProtocolSignature;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** rpc-core's ProtocolSignature inside an ObjectWritable, laid out as Hadoop's Writable. */
@Timeout(10)
class ProtocolSignatureWritableTest {
  private static final String NAME = "org.apache.hadoop.ipc.ProtocolSignature";

  private static byte[] encode(ProtocolSignature signature) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ObjectWritable.writeObject(new DataOutputStream(bytes), signature, ProtocolSignature.class);
    return bytes.toByteArray();
  }

  @Test
  void writesDeclaredAndActualHadoopNameThenTheFields() throws IOException {
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(expected);
    UTF8.writeString(out, NAME);
    UTF8.writeString(out, NAME);
    out.writeLong(7);
    out.writeBoolean(true);
    out.writeInt(2);
    out.writeInt(11);
    out.writeInt(-3);

    assertThat(encode(new ProtocolSignature(7, new int[] {11, -3})))
        .isEqualTo(expected.toByteArray());
  }

  @Test
  void readsBackWithAndWithoutMethods() throws IOException {
    for (ProtocolSignature signature : new ProtocolSignature[] {
        new ProtocolSignature(7, new int[] {11, -3}), new ProtocolSignature(2, null)}) {
      Object read = ObjectWritable.readObject(new DataInputStream(
          new ByteArrayInputStream(encode(signature))));

      assertThat(read).isEqualTo(signature);
    }
  }
}
