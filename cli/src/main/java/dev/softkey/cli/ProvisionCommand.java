package dev.softkey.cli;

import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.platform.provision.GraphCreationOptions;
import dev.softkey.platform.provision.GraphOptionsException;
import dev.softkey.platform.provision.PinPolicy;
import dev.softkey.platform.provision.ProvisionException;
import dev.softkey.platform.provision.ProvisionResult;
import dev.softkey.platform.provision.Provisioner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code softkey provision}: provisions keys on behalf of users for Microsoft Entra ID, as the
 * public tools do (YubicoLabs/entraId-register-passkeys-on-behalf-of-users; ../shared/docs/entra.md
 * section 1), with the platform's {@link Provisioner}: a Graph creationOptions response in, the
 * POST body for {@code /users/{id}/authentication/fido2Methods} and a report with the PIN out.
 */
@Command(
    name = "provision",
    mixinStandardHelpOptions = true,
    description = {
      "Provision the key for a user of Microsoft Entra ID (or an RP like it), as an administrator's tool does:",
      "reads the Microsoft Graph response of GET /users/{id}/authentication/fido2Methods/creationOptions as it comes,",
      "refuses a key that has a PIN (or resets it with --reset), sets a random PIN (--pin-length digits, not trivial, not banned),",
      "makes the credential with origin https://login.microsoft.com and the PIN as user verification, then, where the model has",
      "authenticatorConfig setMinPINLength, sets the minimum PIN length and forces a PIN change on first use.",
      "Writes the body of POST /users/{id}/authentication/fido2Methods (--post-body) and a report with the PIN (--report).",
      "Bulk mode: --bulk users.csv --options-dir DIR --keys-dir DIR provisions one key (a store directory) per user;",
      "without --options-dir the CSV is YubicoLabs' usersToRegister.csv (user id and challenge per line)."
    })
final class ProvisionCommand implements Callable<Integer> {
  private final SoftkeyCommand root;

  @Option(names = "--options", paramLabel = "FILE",
      description = "The Graph creationOptions response for one user ({challengeTimeoutDateTime, publicKey: {...}}, odata annotations and all). Required without --bulk.")
  Path options;

  @Option(names = "--upn", paramLabel = "UPN",
      description = "The user principal name the options must be for (publicKey.user.name, compared ignoring case): a guard against provisioning a key with another user's options. Default: not checked.")
  String upn;

  @Option(names = "--display-name", paramLabel = "NAME",
      description = "The displayName in the POST body, what Entra shows for the passkey. Default: the model's name (the profile's).")
  String displayName;

  @Option(names = "--post-body", paramLabel = "FILE",
      description = "Write the POST body JSON to FILE. Default: stdout. With --bulk see --post-body-dir.")
  Path postBody;

  @Option(names = "--report", paramLabel = "FILE.csv|FILE.json",
      description = "Write the report (upn, user id, key, serial, AAGUID, model, PIN, credential ID, attestation format, what authenticatorConfig did) to FILE,"
          + " CSV or JSON by the extension; repeat for both. The file must not exist; it is created readable by its owner only (0600) and holds the PINs."
          + " Required unless --show-pin.")
  List<Path> reports = new ArrayList<>();

  @Option(names = "--show-pin",
      description = "Also print the PIN on stdout (bulk: one 'UPN<TAB>PIN' line per key). Default: the PIN goes only into the --report files.")
  boolean showPin;

  @Option(names = "--reset",
      description = "Send authenticatorReset first (deletes every credential and the PIN; a key accepts it only just after power-up). Default: a key with a PIN is refused.")
  boolean reset;

  @Option(names = "--pin-length", paramLabel = "N",
      description = "Digits of the random PIN, 4 to 63; the key's minPINLength if that is larger. Also the new minimum PIN length (setMinPINLength). Default: ${DEFAULT-VALUE}.")
  int pinLength = PinPolicy.DEFAULT_LENGTH;

  @Option(names = "--banned-pins", paramLabel = "FILE",
      description = "PINs never to choose, one per line ('#' starts a comment), in addition to the built-in list"
          + " (123456, 123123, 654321, 123321, 112233, 121212, 520520, 123654, 159753). Default: the built-in list only.")
  Path bannedPins;

  @Option(names = "--no-force-pin-change",
      description = "Do not send setMinPINLength(forceChangePin): the user may keep the PIN. Default: the PIN must be changed on first use, where the model can enforce it.")
  boolean noForcePinChange;

  @Option(names = "--bulk", paramLabel = "USERS.csv",
      description = "Bulk mode: a CSV with a header line and one user per line; the column 'upn' (or '#User.Name', as YubicoLabs' usersToRegister.csv) names the user,"
          + " an optional column 'key' the key's store directory under --keys-dir (default key-1, key-2, ...).")
  Path bulk;

  @Option(names = "--options-dir", paramLabel = "DIR",
      description = "Bulk mode: the directory with one Graph creationOptions response per user, named UPN.json."
          + " Default: none; the CSV then carries each user's values in YubicoLabs' step 1 columns (#User.Name, User.DisplayName, User.ID, Challenge,"
          + " ChallengeExpiryTime, RP.ID) and the fixed members are Graph's.")
  Path optionsDir;

  @Option(names = "--keys-dir", paramLabel = "DIR",
      description = "Bulk mode: the directory with one key (a softkey store directory) per user; created if missing. Required with --bulk.")
  Path keysDir;

  @Option(names = "--post-body-dir", paramLabel = "DIR",
      description = "Bulk mode: where the POST bodies go, one UPN.json per user. Default: DIR/post-bodies for --keys-dir DIR.")
  Path postBodyDir;

  ProvisionCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    PinPolicy policy = pinPolicy();
    if (bulk != null) {
      return bulk(policy);
    }
    if (options == null) {
      throw new UsageException("provision needs the user's Graph creationOptions: give --options FILE (or --bulk USERS.csv --options-dir DIR --keys-dir DIR)");
    }
    if (optionsDir != null || keysDir != null || postBodyDir != null) {
      throw new UsageException("--options-dir, --keys-dir and --post-body-dir are for --bulk; for one key give --options FILE and the key with --store");
    }
    requireReportOrShowPin();
    if (showPin && postBody == null) {
      throw new UsageException("--show-pin prints the PIN on stdout, where the POST body goes too: give --post-body FILE");
    }
    GraphCreationOptions graph = readOptions(options);
    if (upn != null && !upn.equalsIgnoreCase(graph.userPrincipalName())) {
      throw new UsageException(options + ": publicKey.user.name is " + graph.userPrincipalName() + ", not --upn " + upn
          + "; give the creationOptions fetched for that user");
    }
    warnIfExpired(graph);
    List<ProvisionReportFile> files = createReports();
    DeviceFactory.DeviceOptions o = root.deviceOptions();
    if (o.storeDir().isEmpty()) {
      root.err().println("softkey: warning: --store memory: the provisioned key is gone when this command ends; give --store DIR to keep it");
    }
    try {
      ProvisionResult result = provision(o, graph, policy, o.storeDir().map(Path::toString).orElse("memory"));
      files.forEach(f -> f.add(result.report()));
      if (postBody != null) {
        write(postBody, result.postBodyJson() + "\n", "--post-body");
      } else {
        root.out().println(result.postBodyJson());
      }
      if (showPin) {
        root.out().println(result.report().pin());
      }
      root.err().println("softkey: " + summary(result) + reportsNote(files));
      return 0;
    } finally {
      files.forEach(ProvisionReportFile::deleteIfEmpty);
    }
  }

  private int bulk(PinPolicy policy) {
    if (keysDir == null) {
      throw new UsageException("--bulk needs --keys-dir DIR (one key per user) and --options-dir DIR (one UPN.json per user)");
    }
    if (options != null || postBody != null || upn != null) {
      throw new UsageException("--options, --post-body and --upn are for one key; with --bulk the users come from " + bulk);
    }
    requireReportOrShowPin();
    List<BulkUsers.User> users = BulkUsers.read(bulk);
    List<GraphCreationOptions> graphs = new ArrayList<>();
    for (BulkUsers.User u : users) {
      if (optionsDir == null) {
        // YubicoLabs' step 1 CSV carries each user's values itself.
        graphs.add(BulkUsers.optionsOf(u, bulk));
        continue;
      }
      Path file = optionsDir.resolve(u.upn() + ".json");
      if (!Files.isRegularFile(file)) {
        throw new UsageException(bulk + " line " + u.line() + ": no options file " + file + " for " + u.upn()
            + "; save the user's Graph creationOptions response there");
      }
      GraphCreationOptions g = readOptions(file);
      if (!g.userPrincipalName().equalsIgnoreCase(u.upn())) {
        throw new UsageException(file + ": publicKey.user.name is " + g.userPrincipalName() + ", not " + u.upn() + " (" + bulk + " line "
            + u.line() + "); give the creationOptions fetched for that user");
      }
      graphs.add(g);
    }
    graphs.forEach(this::warnIfExpired);
    Path bodies = postBodyDir != null ? postBodyDir : keysDir.resolve("post-bodies");
    try {
      Files.createDirectories(keysDir);
      Files.createDirectories(bodies);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + keysDir + " or " + bodies + ": " + IoErrors.reason(e) + " (check --keys-dir, --post-body-dir)", e);
    }
    List<ProvisionReportFile> files = createReports();
    List<String> failed = new ArrayList<>();
    try {
      for (int i = 0; i < users.size(); i++) {
        BulkUsers.User u = users.get(i);
        String key = u.key().orElse("key-" + (i + 1));
        String progress = "[" + (i + 1) + "/" + users.size() + "] ";
        DeviceFactory.DeviceOptions o = root.deviceOptions().withStoreDir(Optional.of(keysDir.resolve(key)));
        ProvisionResult result;
        try {
          result = provision(o, graphs.get(i), policy, keysDir.resolve(key).toString());
        } catch (RuntimeException e) {
          failed.add(u.upn());
          root.err().println("softkey: " + progress + u.upn() + " on " + key + ": FAILED: " + Main.line(e, Optional.empty()));
          continue;
        }
        files.forEach(f -> f.add(result.report()));
        write(bodies.resolve(u.upn() + ".json"), result.postBodyJson() + "\n", "--post-body-dir");
        if (showPin) {
          root.out().println(u.upn() + "\t" + result.report().pin());
        }
        root.err().println("softkey: " + progress + summary(result));
      }
    } finally {
      files.forEach(ProvisionReportFile::deleteIfEmpty);
    }
    if (!failed.isEmpty()) {
      throw new IllegalStateException((users.size() - failed.size()) + " of " + users.size() + " keys provisioned; failed: "
          + String.join(", ", failed) + " (see the lines above); provision those again, with --reset if the key got a PIN");
    }
    root.err().println("softkey: " + users.size() + " keys provisioned" + reportsNote(files) + "; POST bodies in " + bodies);
    return 0;
  }

  private ProvisionResult provision(DeviceFactory.DeviceOptions o, GraphCreationOptions graph, PinPolicy policy, String key) {
    Provisioner.Settings settings =
        Provisioner.Settings.defaults()
            .withReset(reset)
            .withPinPolicy(policy)
            .withForcePinChange(!noForcePinChange)
            .withDisplayName(Optional.ofNullable(displayName))
            .withModel(Optional.of(root.factory().modelName(o)))
            .withKey(key, Optional.empty());
    try (DeviceFactory.Device d = root.openDevice(o)) {
      // The PIN always comes from secure randomness, also with --seed: a predictable PIN is no PIN.
      return new Provisioner(d.transport(), RandomSource.secure()).provision(graph, settings);
    } catch (ProvisionException e) {
      if (e.step() == ProvisionException.Step.KEY_HAS_PIN) {
        throw new PinFailure(e.getMessage() + "; give --reset to reset it");
      }
      throw e;
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot close the store: " + e.getMessage(), e);
    }
  }

  /**
   * Graph refuses a POST body after challengeTimeoutDateTime; softkey still provisions (an offline
   * rig reuses its fixtures), with a warning.
   */
  private void warnIfExpired(GraphCreationOptions g) {
    g.challengeTimeoutDateTime().ifPresent(t -> {
      java.time.Instant until;
      try {
        until = java.time.OffsetDateTime.parse(t).toInstant();
      } catch (java.time.format.DateTimeParseException e) {
        root.err().println("softkey: warning: challengeTimeoutDateTime '" + t + "' of " + g.userPrincipalName() + " is not an ISO 8601 date-time; not checked");
        return;
      }
      if (until.isBefore(java.time.Instant.now())) {
        root.err().println("softkey: warning: the challenge expired at " + t + " (challengeTimeoutDateTime)"
            + (bulk != null ? " for " + g.userPrincipalName() : "")
            + ": Graph will refuse this POST body; fetch new creationOptions for a real tenant");
      }
    });
  }

  private static String summary(ProvisionResult r) {
    var p = r.report();
    String config = p.forcePinChange() ? "PIN change forced on first use" : "no forced PIN change (" + p.authenticatorConfig() + ")";
    return "provisioned " + p.upn() + " on " + p.key() + " (" + p.model() + "): credential " + abbreviate(p.credentialId()) + ", "
        + p.attestationFormat() + " attestation, " + config;
  }

  private static String abbreviate(String id) {
    return id.length() <= 16 ? id : id.substring(0, 16) + "...";
  }

  private static String reportsNote(List<ProvisionReportFile> files) {
    if (files.isEmpty()) {
      return "";
    }
    return "; PIN" + " in " + String.join(" and ", files.stream().map(f -> f.path().toString()).toList());
  }

  private void requireReportOrShowPin() {
    if (reports.isEmpty() && !showPin) {
      throw new UsageException("the PIN set on the key goes only into the report: give --report FILE.csv or --report FILE.json (or --show-pin to print it)");
    }
    reports.forEach(r -> ProvisionReportFile.formatOf(r, "--report"));
  }

  private List<ProvisionReportFile> createReports() {
    List<ProvisionReportFile> files = new ArrayList<>();
    try {
      for (Path r : reports) {
        files.add(ProvisionReportFile.create(r, "--report"));
      }
    } catch (RuntimeException e) {
      files.forEach(ProvisionReportFile::deleteIfEmpty);
      throw e;
    }
    return files;
  }

  private PinPolicy pinPolicy() {
    if (pinLength < 4 || pinLength > 63) {
      throw new UsageException("--pin-length " + pinLength + ": give 4 to 63 digits");
    }
    Set<String> banned = new HashSet<>(PinPolicy.DEFAULT_BANNED);
    if (bannedPins != null) {
      List<String> lines;
      try {
        lines = Files.readAllLines(bannedPins, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UsageException("cannot read --banned-pins " + bannedPins + ": " + IoErrors.reason(e) + "; check the path");
      }
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        int hash = line.indexOf('#');
        String pin = (hash >= 0 ? line.substring(0, hash) : line).strip();
        if (pin.isEmpty()) {
          continue;
        }
        if (!pin.chars().allMatch(c -> c >= '0' && c <= '9')) {
          throw new UsageException(bannedPins + " line " + (i + 1) + ": a banned PIN is digits only; put one PIN per line");
        }
        banned.add(pin);
      }
    }
    return new PinPolicy(pinLength, banned);
  }

  private static GraphCreationOptions readOptions(Path file) {
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException("cannot read the options " + file + ": " + IoErrors.reason(e) + "; check the path");
    }
    try {
      GraphCreationOptions g = GraphCreationOptions.parse(json);
      Provisioner.checkRpId(g, Provisioner.ENTRA_ORIGIN);
      return g;
    } catch (GraphOptionsException e) {
      throw new UsageException(file + ": " + e.getMessage()
          + "; give the Graph creationOptions response ({challengeTimeoutDateTime, publicKey: {...}}) as Graph returned it");
    }
  }

  private static void write(Path file, String text, String option) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + IoErrors.reason(e) + " (check " + option + ")", e);
    }
  }

  /** The users of a {@code --bulk} CSV. */
  static final class BulkUsers {
    /**
     * @param fields the line's fields by header name (lower case)
     */
    record User(int line, String upn, Optional<String> key, java.util.Map<String, String> fields) {}

    /** The CSV columns of YubicoLabs' step 1 (usersToRegister.csv) that make a user's options without --options-dir. */
    static final List<String> POC_COLUMNS = List.of("user.displayname", "user.id", "challenge");

    /** A user's options from the step 1 columns (User.DisplayName, User.ID, Challenge, ChallengeExpiryTime, RP.ID). */
    static GraphCreationOptions optionsOf(User u, Path csv) {
      for (String c : POC_COLUMNS) {
        if (u.fields().getOrDefault(c, "").isBlank()) {
          throw new UsageException(csv + " line " + u.line() + ": no " + c + " value; without --options-dir the CSV must have the columns"
              + " User.DisplayName, User.ID and Challenge (YubicoLabs' usersToRegister.csv), or give --options-dir DIR with one UPN.json per user");
        }
      }
      try {
        GraphCreationOptions g = GraphCreationOptions.fromUserValues(u.upn(), u.fields().get("user.displayname"), u.fields().get("user.id"),
            u.fields().get("challenge"), Optional.ofNullable(u.fields().get("challengeexpirytime")).filter(v -> !v.isBlank()),
            Optional.ofNullable(u.fields().get("rp.id")).filter(v -> !v.isBlank()));
        Provisioner.checkRpId(g, Provisioner.ENTRA_ORIGIN);
        return g;
      } catch (GraphOptionsException e) {
        throw new UsageException(csv + " line " + u.line() + ": " + e.getMessage().replace("publicKey.user.id", "User.ID")
            .replace("publicKey.challenge", "Challenge").replace("publicKey.rp.id", "RP.ID"));
      }
    }

    private BulkUsers() {}

    static List<User> read(Path csv) {
      List<String> lines;
      try {
        lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UsageException("cannot read --bulk " + csv + ": " + IoErrors.reason(e) + "; check the path");
      }
      if (lines.isEmpty()) {
        throw new UsageException(csv + " is empty; give a header line with the column 'upn' and one user per line");
      }
      List<String> header = fields(lines.get(0), csv, 1).stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
      int upnColumn = header.indexOf("upn");
      if (upnColumn < 0) {
        upnColumn = header.indexOf("#user.name");
      }
      if (upnColumn < 0) {
        upnColumn = header.indexOf("user.name");
      }
      if (upnColumn < 0) {
        throw new UsageException(csv + " line 1: no column 'upn' (or '#User.Name') in the header line");
      }
      int keyColumn = header.indexOf("key");
      List<User> users = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (int i = 1; i < lines.size(); i++) {
        if (lines.get(i).isBlank()) {
          continue;
        }
        List<String> f = fields(lines.get(i), csv, i + 1);
        String u = upnColumn < f.size() ? f.get(upnColumn).strip() : "";
        if (u.isEmpty()) {
          throw new UsageException(csv + " line " + (i + 1) + ": the upn field is empty");
        }
        if (u.contains("/") || u.contains("\\") || u.startsWith(".")) {
          throw new UsageException(csv + " line " + (i + 1) + ": upn '" + u + "' cannot name a file (UPN.json); give a user principal name");
        }
        Optional<String> key = keyColumn >= 0 && keyColumn < f.size() && !f.get(keyColumn).isBlank() ? Optional.of(f.get(keyColumn).strip()) : Optional.empty();
        if (key.isPresent() && (key.get().contains("/") || key.get().contains("\\") || key.get().startsWith("."))) {
          throw new UsageException(csv + " line " + (i + 1) + ": key '" + key.get() + "' must be a directory name under --keys-dir");
        }
        if (!seen.add(u.toLowerCase(Locale.ROOT))) {
          throw new UsageException(csv + " line " + (i + 1) + ": " + u + " is listed twice");
        }
        java.util.Map<String, String> byName = new java.util.HashMap<>();
        for (int c = 0; c < header.size() && c < f.size(); c++) {
          byName.put(header.get(c).startsWith("#") ? header.get(c).substring(1) : header.get(c), f.get(c).strip());
        }
        users.add(new User(i + 1, u, key, byName));
      }
      if (users.isEmpty()) {
        throw new UsageException(csv + " lists no users; give one per line after the header line");
      }
      return users;
    }

    /** One CSV line's fields (RFC 4180 quoting; no line breaks inside fields). */
    static List<String> fields(String line, Path csv, int number) {
      List<String> out = new ArrayList<>();
      StringBuilder f = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (quoted) {
          if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
            f.append('"');
            i++;
          } else if (c == '"') {
            quoted = false;
          } else {
            f.append(c);
          }
        } else if (c == '"') {
          quoted = true;
        } else if (c == ',') {
          out.add(f.toString());
          f.setLength(0);
        } else {
          f.append(c);
        }
      }
      if (quoted) {
        throw new UsageException(csv + " line " + number + ": a quoted field is not closed");
      }
      out.add(f.toString());
      return out;
    }
  }
}
