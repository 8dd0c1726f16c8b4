package io.tusk.rpc.examples;

/** The implementation of {@link Calculator}. Stateless and thread-safe. */
public final class SimpleCalculator implements Calculator {
  @Override
  public long add(long a, long b) throws CalculatorException {
    try {
      return Math.addExact(a, b);
    } catch (ArithmeticException e) {
      throw new CalculatorException(a + " + " + b + " overflows a long");
    }
  }

  @Override
  public long divide(long dividend, long divisor) throws CalculatorException {
    if (divisor == 0) {
      throw new CalculatorException("cannot divide " + dividend + " by zero");
    }
    return dividend / divisor;
  }

  @Override
  public long sum(int[] values) {
    long sum = 0;
    for (int value : values) {
      sum += value;
    }
    return sum;
  }

  @Override
  public String[] words(String text) {
    String trimmed = text.strip();
    return trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
  }

  @Override
  public byte[] echo(byte[] payload) {
    return payload;
  }
}
