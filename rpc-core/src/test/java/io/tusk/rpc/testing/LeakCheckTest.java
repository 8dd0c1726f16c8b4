package io.tusk.rpc.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The leak check itself: each kind of leak is reported, a clean test passes, and, run through a
 * real JUnit launcher, the check runs after the test class's own {@code @AfterEach} cleanup.
 */
@Timeout(30)
class LeakCheckTest {
  private static final Duration SHORT = Duration.ofMillis(300);

  @Test
  void aThreadThatOutlivesTheTestIsReportedWithItsStack() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    Thread leaked = new Thread(() -> awaitQuietly(release), "leaky-worker@test");
    try (LeakCheck.Snapshot snapshot = LeakCheck.Snapshot.take(LeakCheck.JVM_THREAD_PREFIXES)) {
      leaked.start();
      assertThatThrownBy(() -> snapshot.verify(SHORT))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("threads leaked: [leaky-worker@test]")
          .hasMessageContaining("awaitQuietly");
    } finally {
      release.countDown();
      leaked.join();
    }
  }

  @Test
  void aThreadThatEndsWithinThePatienceIsNoLeak() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    Thread slow = new Thread(() -> awaitQuietly(release), "slow-closer@test");
    LeakCheck.Snapshot snapshot = LeakCheck.Snapshot.take(LeakCheck.JVM_THREAD_PREFIXES);
    slow.start();
    // Ends while verify waits: close() in main code may join its threads a moment late.
    Thread releaser = new Thread(release::countDown, "releaser@test");
    releaser.start();
    snapshot.verify(Duration.ofSeconds(5));
    slow.join();
    releaser.join();
  }

  @Test
  void threadsWithAnIgnoredPrefixAreNotReported() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    Thread jvmWide = new Thread(() -> awaitQuietly(release), "Some JVM-wide cache thread");
    try (LeakCheck.Snapshot snapshot = LeakCheck.Snapshot.take(List.of("Some JVM-wide"))) {
      jvmWide.start();
      snapshot.verify(SHORT);
    } finally {
      release.countDown();
      jvmWide.join();
    }
  }

  @Test
  void aSocketLeftOpenIsReportedWithTheCounts() throws IOException {
    try (LeakCheck.Snapshot snapshot = LeakCheck.Snapshot.take(LeakCheck.JVM_THREAD_PREFIXES);
        ServerSocket leaked = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(LeakCheck.openSockets()).isGreaterThan(snapshot.socketsBefore());
      assertThatThrownBy(() -> snapshot.verify(SHORT))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("sockets leaked: " + (snapshot.socketsBefore() + 1)
              + " open after the test, " + snapshot.socketsBefore() + " before");
    }
  }

  @Test
  void aClosedSocketAndAnOpenedFileAreNoLeak() throws IOException {
    LeakCheck.Snapshot snapshot = LeakCheck.Snapshot.take(LeakCheck.JVM_THREAD_PREFIXES);
    new ServerSocket(0, 1, InetAddress.getLoopbackAddress()).close();
    // A file held open (as a class loader holds a jar) is not a socket.
    try (var file = java.nio.file.Files.newInputStream(java.nio.file.Paths.get("pom.xml"))) {
      snapshot.verify(SHORT);
    }
  }

  @Test
  void anUncaughtExceptionInAnyThreadFailsTheTestWithItAsCause() throws InterruptedException {
    Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
    IllegalStateException boom = new IllegalStateException("boom from a worker");
    LeakCheck.Snapshot snapshot = LeakCheck.Snapshot.take(LeakCheck.JVM_THREAD_PREFIXES);
    Thread thrower = new Thread(() -> {
      throw boom;
    }, "thrower@test");
    thrower.start();
    thrower.join();
    assertThatThrownBy(() -> snapshot.verify(SHORT))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("1 uncaught exception(s)")
        .hasMessageContaining("thrower@test")
        .hasCause(boom);
    assertThat(Thread.getDefaultUncaughtExceptionHandler()).isSameAs(before);
  }

  @Test
  void theCheckRunsAfterTheClassesOwnAfterEachAndPassesWhenItCleansUp() {
    TestExecutionSummary summary = run(CleansUpInAfterEach.class);
    assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
    assertThat(summary.getTotalFailureCount()).isZero();
  }

  @Test
  void aLeakingTestFailsThroughTheExtension() throws InterruptedException {
    try {
      TestExecutionSummary summary = run(LeaksAThread.class);
      assertThat(summary.getTestsFailedCount()).isEqualTo(1);
      assertThat(summary.getFailures().get(0).getException())
          .hasMessageContaining("threads leaked: [leaked-by-test@launcher]");
    } finally {
      LeaksAThread.release.countDown();
      if (LeaksAThread.thread != null) {
        LeaksAThread.thread.join();
      }
    }
  }

  @Test
  void aClassScopedCheckAllowsFixturesSharedBetweenTestsAndChecksAfterAfterAll() {
    TestExecutionSummary summary = run(SharesAThreadBetweenTests.class);
    assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
    assertThat(summary.getTotalFailureCount()).isZero();
  }

  @Test
  void aThreadLeftByBeforeAllFailsTheClass() throws InterruptedException {
    try {
      TestExecutionSummary summary = run(LeaksFromBeforeAll.class);
      assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
      assertThat(summary.getTotalFailureCount()).isEqualTo(1);
      assertThat(summary.getFailures().get(0).getException())
          .hasMessageContaining("threads leaked: [leaked-by-before-all@launcher]");
    } finally {
      LeaksFromBeforeAll.release.countDown();
      LeaksFromBeforeAll.thread.join();
    }
  }

  @Test
  void aClassMayDeclareThreadPrefixesThatAreNotItsLeak() throws InterruptedException {
    try {
      TestExecutionSummary summary = run(StartsAnIgnoredThread.class);
      assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
      assertThat(summary.getTotalFailureCount()).isZero();
    } finally {
      StartsAnIgnoredThread.release.countDown();
      StartsAnIgnoredThread.thread.join();
    }
  }

  private static TestExecutionSummary run(Class<?> testClass) {
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass))
        .build(), listener);
    return listener.getSummary();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Opens a socket and starts a thread, both closed only in {@code @AfterEach}. */
  @ExtendWith(LeakCheck.class)
  static class CleansUpInAfterEach {
    private final CountDownLatch stop = new CountDownLatch(1);
    private ServerSocket socket;
    private Thread worker;

    @Test
    void leavesCleanupToAfterEach() throws IOException {
      socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      worker = new Thread(() -> awaitQuietly(stop), "closed-in-after-each@launcher");
      worker.start();
    }

    @AfterEach
    void cleanUp() throws IOException, InterruptedException {
      socket.close();
      stop.countDown();
      worker.join();
    }
  }

  /** Leaves a thread running; the enclosing test releases it after the run. */
  @ExtendWith(LeakCheck.class)
  static class LeaksAThread {
    static final CountDownLatch release = new CountDownLatch(1);
    static Thread thread;

    @Test
    void leaks() {
      thread = new Thread(() -> awaitQuietly(release), "leaked-by-test@launcher");
      thread.start();
    }
  }

  /** Starts a thread in {@code @BeforeAll} that every test may use; {@code @AfterAll} ends it. */
  @ExtendWith(LeakCheck.class)
  @LeakCheck.ClassScope
  static class SharesAThreadBetweenTests {
    static final CountDownLatch stop = new CountDownLatch(1);
    static Thread shared;

    @BeforeAll
    static void start() {
      shared = new Thread(() -> awaitQuietly(stop), "shared-by-tests@launcher");
      shared.start();
    }

    @Test
    void one() {
      assertThat(shared.isAlive()).isTrue();
    }

    @Test
    void two() {
      assertThat(shared.isAlive()).isTrue();
    }

    @AfterAll
    static void stop() throws InterruptedException {
      stop.countDown();
      shared.join();
    }
  }

  /** Starts a thread in {@code @BeforeAll} and never ends it. */
  @ExtendWith(LeakCheck.class)
  @LeakCheck.ClassScope
  static class LeaksFromBeforeAll {
    static final CountDownLatch release = new CountDownLatch(1);
    static Thread thread;

    @BeforeAll
    static void start() {
      thread = new Thread(() -> awaitQuietly(release), "leaked-by-before-all@launcher");
      thread.start();
    }

    @Test
    void passes() {}
  }

  /** Leaves a thread running whose name the class declares as JVM-wide. */
  @ExtendWith(LeakCheck.class)
  @LeakCheck.IgnoreThreads("jvm-wide-cache@")
  static class StartsAnIgnoredThread {
    static final CountDownLatch release = new CountDownLatch(1);
    static Thread thread;

    @Test
    void startsIt() {
      thread = new Thread(() -> awaitQuietly(release), "jvm-wide-cache@launcher");
      thread.start();
    }
  }
}
