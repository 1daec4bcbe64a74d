package dev.softkey.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code softkey profiles}: the built-in device profiles. */
@Command(
    name = "profiles",
    mixinStandardHelpOptions = true,
    description = "List the built-in device profiles (for --profile): ID and description.",
    subcommands = {ProfilesShowCommand.class, HelpCommand.class},
    footerHeading = "%n",
    footer = {
      "--json prints an array of whole profiles, each in the profile file format of",
      "docs/profile-schema.md (identity, getInfo, limits, pinPolicy, attestation, credentials,",
      "quirks, usb); 'softkey profiles show ID' prints one, which saved to a file and edited",
      "is a profile for --profile FILE."
    })
final class ProfilesCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Option(names = "--json", description = "Print a JSON array of the profiles instead of the list. Default: readable.")
  boolean json;

  ProfilesCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() throws JsonProcessingException {
    if (json) {
      ArrayNode a = Json.MAPPER.createArrayNode();
      for (Profile p : root.factory().profiles()) {
        a.add(Json.MAPPER.readTree(Profiles.toJson(p)));
      }
      Json.print(root.out(), a);
      return 0;
    }
    for (Profile p : root.factory().profiles()) {
      root.out().printf("%-12s %s%n", p.id(), p.identity().description());
    }
    return 0;
  }
}
