package dev.softkey.cli;

import dev.softkey.core.profile.Profile;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code softkey profiles}: the built-in device profiles. */
@Command(
    name = "profiles",
    mixinStandardHelpOptions = true,
    description = "List the built-in device profiles (for --profile): ID and description.")
final class ProfilesCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  ProfilesCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    for (Profile p : root.factory().profiles()) {
      root.out().printf("%-12s %s%n", p.id(), p.description());
    }
    return 0;
  }
}
