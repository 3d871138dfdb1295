package io.sagaz.fleet.testkit;

import org.opentest4j.TestAbortedException;

/**
 * What a test does when a machine program it needs (pgbouncer, pg_basebackup) is not installed.
 *
 * <p>On CI ({@code CI=true}) that is a failure: {@code .ci/run} installs them, so a missing one is a
 * broken CI. On a developer's machine with only a JDK the test is reported as aborted with the install
 * command, so {@code ./mvnw verify} still passes there and says what it did not cover.
 */
public final class MissingTool {
  private MissingTool() {}

  public static RuntimeException of(String message) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      return new IllegalStateException(message + " (CI=true: .ci/run should have installed it)");
    }
    return new TestAbortedException(message);
  }
}
