package io.tusk.rpc.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Copies what is written to {@link System#err} while it is open (slf4j-simple, the test logger,
 * writes there and looks {@code System.err} up on every line), so a test can check log lines.
 * Output still reaches the real stderr. Close it (try-with-resources) to restore stderr.
 */
public final class CapturedStderr implements AutoCloseable {
  private final PrintStream original = System.err;
  private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

  /** Starts copying. */
  public CapturedStderr() {
    OutputStream tee = new OutputStream() {
      @Override
      public void write(int b) {
        synchronized (copy) {
          copy.write(b);
        }
        original.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        synchronized (copy) {
          copy.write(b, off, len);
        }
        original.write(b, off, len);
      }

      @Override
      public void flush() {
        original.flush();
      }
    };
    System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
  }

  /** Everything written so far. */
  public String text() {
    synchronized (copy) {
      return copy.toString(StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() {
    System.setErr(original);
  }
}
