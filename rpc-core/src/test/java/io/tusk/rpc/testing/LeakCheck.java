package io.tusk.rpc.testing;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that fails a test which leaves a thread running, a socket open, or lets an
 * exception escape any thread. End-to-end tests register it with
 * {@code @ExtendWith(LeakCheck.class)} on the class or a base class.
 *
 * <p>Before each test it takes a {@link Snapshot} (live threads, open sockets of this JVM) and
 * installs a default uncaught-exception handler that records and chains to the previous one.
 * After each test (JUnit runs an extension's {@code afterEach} after the test class's own
 * {@code @AfterEach} methods, so servers and clients closed there are closed by then) it waits up
 * to {@link #PATIENCE} for threads that were not alive before to end and for the socket count to
 * fall back, then fails with what is left. All state lives in the test's {@link
 * ExtensionContext.Store}; nothing is static, so it composes with any other cleanup.
 *
 * <p>The same check also runs once around the whole class (before its {@code @BeforeAll}, after
 * its {@code @AfterAll}). A class that shares a server or client between its tests (opened in
 * {@code @BeforeAll}, connecting lazily on the first call) is annotated {@link ClassScope}, which
 * leaves only that class-wide check.
 *
 * <p>The checks are plain methods of {@link Snapshot} so that they can be tested without a JUnit
 * engine. Tests run one at a time in a surefire JVM; a check in a JVM that runs tests in parallel
 * would see the other tests' threads.
 */
public final class LeakCheck
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  /** How long close() may take to let threads end and sockets close after the test. */
  public static final Duration PATIENCE = Duration.ofSeconds(5);

  /**
   * JDK and build-tool threads that start lazily on first use and live for the rest of the JVM, so
   * whichever test first triggers them would be blamed. Kept short: each entry is a JVM-wide
   * singleton, not something a Tusk server or client owns.
   */
  static final List<String> JVM_THREAD_PREFIXES = List.of(
      "ForkJoinPool.commonPool", // CompletableFuture's default executor, idles out after 60 s
      "CompletableFutureDelayScheduler", // the JDK's one timer thread behind orTimeout()
      "process reaper", // waits for child processes, shared by all ProcessBuilder users
      "Attach Listener", // started when a tool (jstack, jcmd) attaches to the JVM
      "Common-Cleaner", // java.lang.ref.Cleaner's shared thread
      "surefire", // surefire's own ping and command threads
      "RMI ", "JMX ", "RMI TCP", // JMX/RMI agents, when a profiler or jconsole is attached
      "Keep-Alive-Timer", // the JDK's HTTP keep-alive cache
      "junit-jupiter-timeout-watcher"); // JUnit's one watcher thread behind every @Timeout

  /** Extra thread-name prefixes a test class accepts as JVM-wide, each explained where declared. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @Inherited
  public @interface IgnoreThreads {
    /** Thread-name prefixes that are not this test's leak. */
    String[] value();
  }

  /**
   * Marks a class whose tests share servers or clients made in {@code @BeforeAll}: threads and
   * sockets are checked once after {@code @AfterAll}, not after each test.
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @Inherited
  public @interface ClassScope {}

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(LeakCheck.class);
  private static final String CLASS_KEY = "class";
  private static final String TEST_KEY = "test";

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(NS).put(CLASS_KEY, Snapshot.take(ignoredPrefixes(context)));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    verify(context, CLASS_KEY);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!classScoped(context)) {
      context.getStore(NS).put(TEST_KEY, Snapshot.take(ignoredPrefixes(context)));
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    verify(context, TEST_KEY);
  }

  private static void verify(ExtensionContext context, String key) {
    Snapshot before = context.getStore(NS).remove(key, Snapshot.class);
    if (before != null) {
      before.verify(PATIENCE);
    }
  }

  private static boolean classScoped(ExtensionContext context) {
    return context.getTestClass().map(c -> c.isAnnotationPresent(ClassScope.class)).orElse(false);
  }

  private static List<String> ignoredPrefixes(ExtensionContext context) {
    List<String> ignored = new ArrayList<>(JVM_THREAD_PREFIXES);
    context.getTestClass().map(c -> c.getAnnotation(IgnoreThreads.class))
        .ifPresent(a -> ignored.addAll(Arrays.asList(a.value())));
    return ignored;
  }

  /**
   * What was alive before a test, and the recorder of uncaught exceptions during it. {@link
   * #take} installs the handler; {@link #verify} (or {@link #close}) puts the previous one back.
   */
  public static final class Snapshot implements AutoCloseable {
    private final Set<Thread> threadsBefore;
    private final int socketsBefore;
    private final List<String> ignoredPrefixes;
    private final Thread.UncaughtExceptionHandler previous;
    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    private boolean closed;

    static {
      // The JDK opens one socket of its own on first network use (the end of a socketpair that
      // NIO dup2()s over descriptors it closes) and keeps it for the JVM's life; opening and
      // closing a socket once here keeps the first test that touches the network from being
      // blamed for it.
      try {
        new ServerSocket(0, 1, InetAddress.getLoopbackAddress()).close();
      } catch (IOException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private Snapshot(List<String> ignoredPrefixes) {
      this.ignoredPrefixes = List.copyOf(ignoredPrefixes);
      this.threadsBefore = Collections.newSetFromMap(new IdentityHashMap<>());
      threadsBefore.addAll(liveThreads());
      this.socketsBefore = openSockets();
      this.previous = Thread.getDefaultUncaughtExceptionHandler();
      Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
        uncaught.add(new AssertionError("uncaught in thread " + t.getName(), e));
        if (previous != null) {
          previous.uncaughtException(t, e);
        } else {
          // What the JVM does without a handler, so the trace still shows in the test output.
          System.err.print("Exception in thread \"" + t.getName() + "\" ");
          e.printStackTrace(System.err);
        }
      });
    }

    /** Records the current threads and sockets and starts recording uncaught exceptions. */
    public static Snapshot take(List<String> ignoredThreadPrefixes) {
      return new Snapshot(ignoredThreadPrefixes);
    }

    /** Open sockets counted when this snapshot was taken. */
    public int socketsBefore() {
      return socketsBefore;
    }

    /**
     * Waits up to {@code patience} for new threads to end and sockets to close, restores the
     * previous uncaught-exception handler, and throws an AssertionError listing every leak found.
     */
    public void verify(Duration patience) {
      try {
        long deadline = System.nanoTime() + patience.toNanos();
        List<Thread> threads = newThreads();
        int sockets = openSockets();
        while ((!threads.isEmpty() || sockets > socketsBefore) && System.nanoTime() < deadline) {
          pause();
          threads = newThreads();
          sockets = openSockets();
        }
        List<String> problems = new ArrayList<>();
        if (!threads.isEmpty()) {
          problems.add(describe(threads));
        }
        if (sockets > socketsBefore) {
          problems.add("sockets leaked: " + sockets + " open after the test, " + socketsBefore
              + " before (waited " + patience.toMillis() + " ms)");
        }
        if (!uncaught.isEmpty()) {
          problems.add(uncaught.size() + " uncaught exception(s), first: " + uncaught.get(0)
              .getMessage() + ": " + uncaught.get(0).getCause());
        }
        if (!problems.isEmpty()) {
          AssertionError failure = new AssertionError(String.join("\n", problems));
          if (!uncaught.isEmpty()) {
            failure.initCause(uncaught.get(0).getCause());
            uncaught.stream().skip(1).forEach(failure::addSuppressed);
          }
          throw failure;
        }
      } finally {
        close();
      }
    }

    /** Restores the previous default uncaught-exception handler; idempotent. */
    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        Thread.setDefaultUncaughtExceptionHandler(previous);
      }
    }

    /** Live threads that were not alive at the snapshot and are not JVM-wide housekeeping. */
    List<Thread> newThreads() {
      return liveThreads().stream()
          .filter(t -> !threadsBefore.contains(t))
          .filter(t -> t != Thread.currentThread())
          .filter(t -> ignoredPrefixes.stream().noneMatch(p -> t.getName().startsWith(p)))
          .collect(Collectors.toList());
    }

    private static String describe(List<Thread> threads) {
      StringBuilder sb = new StringBuilder("threads leaked: ")
          .append(threads.stream().map(Thread::getName).sorted().collect(Collectors.toList()));
      for (Thread t : threads) {
        sb.append("\n").append(t.getName()).append(" (").append(t.getState()).append("):");
        for (StackTraceElement e : t.getStackTrace()) {
          sb.append("\n    at ").append(e);
        }
      }
      return sb.toString();
    }

    private static Set<Thread> liveThreads() {
      Set<Thread> live = new HashSet<>();
      for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
        if (e.getKey().isAlive()) {
          live.add(e.getKey());
        }
      }
      return live;
    }

    private static void pause() {
      try {
        // Leaked threads and sockets offer nothing to block on; polling is the bounded wait.
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for leaks to clear", e);
      }
    }
  }

  /**
   * Sockets this JVM holds open: the entries of /proc/self/fd that link to {@code socket:[...]}.
   * Counting only sockets keeps jars and files the class loader opens lazily out of the count.
   * Returns 0 where /proc is missing (not Linux), so the check is then a no-op for sockets.
   */
  public static int openSockets() {
    Path fds = Paths.get("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return 0;
    }
    int count = 0;
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(fds)) {
      for (Path fd : dir) {
        try {
          if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
            count++;
          }
        } catch (IOException e) {
          // The descriptor closed while we listed the directory (or is the listing itself).
        }
      }
    } catch (IOException e) {
      throw new AssertionError("cannot list /proc/self/fd", e);
    }
    return count;
  }
}
