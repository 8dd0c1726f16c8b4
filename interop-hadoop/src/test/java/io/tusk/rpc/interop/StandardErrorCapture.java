package io.tusk.rpc.interop;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * Captures what this JVM writes to {@code System.err} while it is open, and still passes it on.
 * In interop-hadoop that is where Hadoop's log goes: Hadoop logs through slf4j, bound here to
 * slf4j-simple, which looks {@code System.err} up at every line (so a Hadoop server started
 * before the capture is captured too). Construction fails when another binding is in use, so a
 * test built on it cannot pass by capturing nothing.
 */
final class StandardErrorCapture implements AutoCloseable {
  /** A log line at WARN or ERROR in slf4j-simple's format ({@code [thread] LEVEL logger - msg}). */
  private static final Pattern WARNING = Pattern.compile("^\\[[^\\]]*\\] (WARN|ERROR) .*");

  private final PrintStream original = System.err;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  StandardErrorCapture() {
    String binding = LoggerFactory.getILoggerFactory().getClass().getName();
    if (!binding.startsWith("org.slf4j.simple.")) {
      throw new IllegalStateException("Hadoop's log is not captured: slf4j is bound to "
          + binding + ", not slf4j-simple");
    }
    OutputStream tee = new OutputStream() {
      @Override
      public void write(int b) {
        synchronized (captured) {
          captured.write(b);
        }
        original.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        synchronized (captured) {
          captured.write(b, off, len);
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

  /** Everything captured so far. */
  String text() {
    synchronized (captured) {
      return captured.toString(StandardCharsets.UTF_8);
    }
  }

  /** The captured WARN and ERROR lines and stack-trace lines ({@code \tat ...}). */
  List<String> warningsAndStackTraces() {
    return text().lines()
        .filter(line -> WARNING.matcher(line).matches() || line.startsWith("\tat "))
        .toList();
  }

  /** Puts the original {@code System.err} back. */
  @Override
  public void close() {
    System.err.flush();
    System.setErr(original);
  }
}
