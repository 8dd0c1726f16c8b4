package io.tusk.rpc.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The groups the operating system reports through {@code id -gn USER} (the primary group) and
 * {@code id -Gn USER} (all groups), as Hadoop's shell-based Unix mapping does. The user name is
 * passed as one argument to {@code id} with no shell in between, and must look like a user name,
 * so a client-supplied name cannot inject a command. An unknown user has no groups.
 */
public final class ShellGroupMapping implements GroupMapping {
  /** Names {@code id} is asked about: POSIX portable user names plus the usual {@code @ . \ $}. */
  private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._@\\\\$-][A-Za-z0-9._@\\\\$ -]*");
  private static final long TIMEOUT_SECONDS = 10;

  /** Creates the mapping; every lookup runs {@code id} anew (put a cache in front of it). */
  public ShellGroupMapping() {}

  @Override
  public List<String> groups(String user) throws IOException {
    if (user == null || user.length() > 256 || !USER_NAME.matcher(user).matches()
        || user.startsWith("-")) {
      return List.of();
    }
    List<String> primary = run("id", "-gn", user);
    if (primary == null) {
      return List.of(); // no such user
    }
    List<String> all = run("id", "-Gn", user);
    LinkedHashSet<String> groups = new LinkedHashSet<>(primary);
    if (all != null) {
      groups.addAll(all);
    }
    return List.copyOf(new ArrayList<>(groups));
  }

  /** The words {@code command} printed, or null when it exited non-zero (unknown user). */
  private static List<String> run(String... command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
    try {
      process.getOutputStream().close();
      byte[] out = readAll(process.getInputStream());
      process.getErrorStream().close();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IOException(String.join(" ", command) + " did not finish in "
            + TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        return null;
      }
      List<String> words = new ArrayList<>();
      for (String word : new String(out, StandardCharsets.UTF_8).trim().split("\\s+")) {
        if (!word.isEmpty()) {
          words.add(word);
        }
      }
      return words;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + String.join(" ", command), e);
    } finally {
      process.destroy();
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[256];
    int n;
    // Bounded: group lists are short, and a runaway command must not fill the heap.
    while ((n = in.read(chunk)) > 0 && out.size() < 64 * 1024) {
      out.write(chunk, 0, n);
    }
    return out.toByteArray();
  }
}
