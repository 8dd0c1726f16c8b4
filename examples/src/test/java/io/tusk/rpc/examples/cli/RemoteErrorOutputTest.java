package io.tusk.rpc.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.rpc.RemoteException;
import io.tusk.rpc.testing.LeakCheck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How {@link Tusk} prints a remote error: one line with the class and the first line of the
 * message; Hadoop servers append their stack trace to the message, which only {@code --verbose}
 * shows.
 */
@Timeout(10)
@ExtendWith(LeakCheck.class)
class RemoteErrorOutputTest {
  private static final String HADOOP_STYLE_MESSAGE = "no such key: k\n"
      + "\tat org.example.Store.get(Store.java:50)\n"
      + "\tat org.apache.hadoop.ipc.Server$Handler.run(Server.java:3198)\n";

  /** A command that always fails with a Hadoop-style remote error. */
  private static final class FailingCommand implements Command {
    @Override
    public String name() {
      return "fail";
    }

    @Override
    public String summary() {
      return "Fails.";
    }

    @Override
    public String synopsis() {
      return "tusk fail";
    }

    @Override
    public List<Option> options() {
      return List.of();
    }

    @Override
    public int run(CommandLine line, PrintStream out) throws RemoteException {
      throw new RemoteException("org.example.KeyNotFoundException", HADOOP_STYLE_MESSAGE);
    }
  }

  private static String[] run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = new Tusk(List.of(new FailingCommand())).run(args, o, e);
    }
    return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void printsOnlyTheFirstLineOfARemoteMessage() {
    String[] result = run("fail");
    assertThat(result[0]).isEqualTo(String.valueOf(Tusk.FAILED));
    assertThat(result[1]).isEmpty();
    assertThat(result[2]).isEqualTo("tusk fail: remote error org.example.KeyNotFoundException:"
        + " no such key: k" + System.lineSeparator());
  }

  @Test
  void verboseShowsTheServersStackTraceToo() {
    String[] result = run("fail", "--verbose");
    assertThat(result[0]).isEqualTo(String.valueOf(Tusk.FAILED));
    assertThat(result[2]).contains("org.apache.hadoop.ipc.Server$Handler.run");
  }
}
