package dev.softkey.cli;

import dev.softkey.core.profile.Profiles;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code softkey profiles show ID|FILE}: one profile as JSON, in the profile file format. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = {
      "Print one profile as JSON in the profile file format (docs/profile-schema.md).",
      "Save it, edit it and pass the file to --profile to emulate another model."
    })
final class ProfilesShowCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Parameters(paramLabel = "ID|FILE", description = "Required: a built-in profile ID (softkey profiles lists them) or a profile file.")
  String profile;

  ProfilesShowCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    root.out().println(Profiles.toJson(Profiles.load(profile)).strip());
    return 0;
  }
}
