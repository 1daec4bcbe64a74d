package dev.softkey.fuzz;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs one {@code @FuzzTest} method through the JUnit platform, as surefire would, so that {@code
 * scripts/fuzz.sh} starts one JVM per target (Jazzer fuzzes one target per JVM) without a Maven
 * build each time. Argument: {@code fully.qualified.Class#method}. Exit status 0 when the target
 * ran without a finding, 1 otherwise. Set {@code JAZZER_FUZZ=1} to fuzz rather than replay.
 */
public final class RunFuzzTarget {
  private RunFuzzTarget() {}

  public static void main(String[] args) {
    if (args.length != 1 || !args[0].contains("#")) {
      System.err.println("usage: RunFuzzTarget fully.qualified.Class#method");
      System.exit(2);
    }
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request().selectors(selectMethod(args[0])).build();
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    launcher.execute(request, summary);
    TestExecutionSummary s = summary.getSummary();
    s.printFailuresTo(new java.io.PrintWriter(System.err, true), 40);
    System.err.printf("fuzz target %s: %d run, %d failed%n", args[0], s.getTestsSucceededCount() + s.getTestsFailedCount(),
        s.getTestsFailedCount());
    System.exit(s.getTestsFailedCount() == 0 && s.getTestsFoundCount() > 0 ? 0 : 1);
  }
}
