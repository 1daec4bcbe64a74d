package dev.softkey.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.profile.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code softkey profiles}: the built-in device profiles. */
@Command(
    name = "profiles",
    mixinStandardHelpOptions = true,
    description =
        "List the built-in device profiles (for --profile): ID, vendor, firmware, transports and model, in aligned columns.",
    subcommands = {ProfilesShowCommand.class, HelpCommand.class},
    footerHeading = "%n",
    footer = {
      "FIRMWARE is the vendor's version of the emulated firmware (identity.firmware), '-' for",
      "softkey's own models; TRANSPORTS the getInfo transports (hybrid: a phone passkey provider for",
      "'softkey hybrid'); MODEL the profile's description.",
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
    List<Profile> profiles = root.factory().profiles();
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("ID", "VENDOR", "FIRMWARE", "TRANSPORTS", "MODEL"));
    for (Profile p : profiles) {
      rows.add(
          List.of(
              p.id(),
              p.identity().vendor(),
              p.identity().firmware().orElse("-"),
              p.getInfo().transports().stream().map(Transport::jsonName).collect(Collectors.joining(",")),
              p.identity().description()));
    }
    int[] width = new int[4];
    for (List<String> r : rows) {
      for (int i = 0; i < width.length; i++) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    for (List<String> r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < width.length; i++) {
        line.append(String.format("%-" + width[i] + "s  ", r.get(i)));
      }
      root.out().println(line.append(r.get(4)));
    }
    return 0;
  }
}
