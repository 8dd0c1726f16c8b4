package io.tusk.rpc.examples;

import io.tusk.rpc.ProtocolInfo;
import java.io.IOException;

/**
 * The Writable example protocol: a legacy-style interface whose arguments and results travel as
 * {@code ObjectWritable}s. It needs no annotation processing and no {@code .proto} file; the
 * Writable engine (the default) serves it by reflection. {@link SimpleCalculator} implements it.
 */
@ProtocolInfo(protocolName = Calculator.NAME, protocolVersion = Calculator.VERSION)
public interface Calculator {
  /** The protocol name on the wire. */
  String NAME = "io.tusk.rpc.examples.Calculator";

  /** The protocol version. */
  long VERSION = 1;

  /** {@code a + b}, failing with {@link CalculatorException} on overflow. */
  long add(long a, long b) throws IOException;

  /** {@code dividend / divisor}, failing with {@link CalculatorException} when divisor is 0. */
  long divide(long dividend, long divisor) throws IOException;

  /** The sum of {@code values} (0 for none). */
  long sum(int[] values) throws IOException;

  /** The words of {@code text} split at whitespace. */
  String[] words(String text) throws IOException;

  /** {@code payload} unchanged; the load generator's call. */
  byte[] echo(byte[] payload) throws IOException;
}
