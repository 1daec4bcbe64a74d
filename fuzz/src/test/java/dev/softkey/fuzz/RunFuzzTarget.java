package dev.softkey.fuzz;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.reflect.Method;
import java.util.Arrays;
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
 * ran without a finding, 1 after a finding, 2 when there is no such target. Set {@code JAZZER_FUZZ=1} to fuzz rather than replay.
 */
public final class RunFuzzTarget {
  private RunFuzzTarget() {}

  public static void main(String[] args) {
    if (args.length != 1 || !args[0].contains("#")) {
      System.err.println("usage: RunFuzzTarget fully.qualified.Class#method");
      System.exit(2);
    }
    String className = args[0].substring(0, args[0].indexOf('#'));
    String methodName = args[0].substring(args[0].indexOf('#') + 1);
    Method target;
    try {
      Class<?> c = Class.forName(className, false, RunFuzzTarget.class.getClassLoader());
      target = Arrays.stream(c.getDeclaredMethods())
          .filter(m -> m.getName().equals(methodName) && m.isAnnotationPresent(FuzzTest.class))
          .findFirst()
          .orElseThrow(() -> new NoSuchMethodException("no @FuzzTest " + args[0]));
      LauncherDiscoveryRequest request =
          LauncherDiscoveryRequestBuilder.request().selectors(selectMethod(c, target)).build();
      run(args[0], request);
    } catch (ReflectiveOperationException | LinkageError e) {
      System.err.println("fuzz target " + args[0] + ": " + e);
      System.exit(2);
    }
  }

  private static void run(String name, LauncherDiscoveryRequest request) {
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    launcher.execute(request, summary);
    TestExecutionSummary s = summary.getSummary();
    s.printFailuresTo(new java.io.PrintWriter(System.err, true), 40);
    System.err.printf("fuzz target %s: %d run, %d failed%n", name, s.getTestsSucceededCount() + s.getTestsFailedCount(),
        s.getTestsFailedCount());
    System.exit(s.getTestsFailedCount() == 0 && s.getTestsFoundCount() > 0 ? 0 : 1);
  }
}
