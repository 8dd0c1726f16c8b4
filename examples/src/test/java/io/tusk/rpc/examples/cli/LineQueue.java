package io.tusk.rpc.examples.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An output for a command that runs on another thread: each printed line is queued, so a test can
 * await a line (e.g. the address {@code serve} prints) instead of sleeping.
 */
final class LineQueue extends OutputStream {
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();
  private final ByteArrayOutputStream current = new ByteArrayOutputStream();

  /** A print stream into this queue. */
  PrintStream printStream() {
    return new PrintStream(this, true, StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      String line = current.toString(StandardCharsets.UTF_8);
      current.reset();
      lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
    } else {
      current.write(b);
    }
  }

  /** The next line starting with {@code prefix}, skipping others; fails after {@code timeout}. */
  String await(String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError("no line starting with '" + prefix + "' within " + timeout
            + "; lines so far: " + seen);
      }
      seen.add(line);
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  /** Every line taken so far by {@link #await}. */
  List<String> seen() {
    return List.copyOf(seen);
  }
}
