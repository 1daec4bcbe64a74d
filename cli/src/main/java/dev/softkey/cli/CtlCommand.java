package dev.softkey.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.ctap.crypto.RandomSource;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code softkey ctl}: a command-line client of the control API that {@code softkey serve
 * --control} starts. It finds the API through the files of {@code --control-dir} (endpoint and
 * token), or {@code --endpoint} with the token from {@code SOFTKEY_CONTROL_TOKEN} or {@code
 * --token-file}. Each subcommand is one request ({@link ControlClient}); its {@code value} is
 * printed as JSON. An error the API answers is {@code softkey ctl: <error>: <message>}, exit 1.
 * PINs come from standard input or a file, never from the command line.
 */
@Command(
    name = "ctl",
    mixinStandardHelpOptions = true,
    description = {
      "Steer the authenticators of a running 'softkey serve --control' through its control API (HTTP, loopback).",
      "The endpoint and token come from --control-dir, or --endpoint with SOFTKEY_CONTROL_TOKEN or --token-file (options before the subcommand).",
      "API errors print 'softkey ctl: <error>: <message>' and exit 1; usage errors exit 2."
    })
final class CtlCommand implements Callable<Integer> {
  /** The environment variable that may hold the token with {@code --endpoint}. */
  static final String TOKEN_ENV = "SOFTKEY_CONTROL_TOKEN";

  private final SoftkeyCommand root;

  @Spec CommandSpec spec;

  @Option(names = "--control-dir", paramLabel = "DIR",
      description = "Where serve --control wrote the files endpoint and token. Default: ${DEFAULT-VALUE}.")
  Path controlDir = ControlDir.defaultDir();

  @Option(names = "--endpoint", paramLabel = "URI",
      description = "The API's base URI (http://127.0.0.1:PORT/softkey/v1) instead of the endpoint file; the token then comes from "
          + TOKEN_ENV + " or --token-file. Default: the endpoint file.")
  URI endpoint;

  @Option(names = "--token-file", paramLabel = "FILE", description = "The file holding the bearer token. Default: "
      + TOKEN_ENV + " with --endpoint, else the token file of --control-dir.")
  Path tokenFile;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long one request may take. Default: ${DEFAULT-VALUE}.")
  double timeoutSeconds = 120;

  CtlCommand(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(root.out());
    return Main.EXIT_USAGE;
  }

  // ---- authenticators

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the authenticators: id, profile, AAGUID, transport, endpoint.")
  int list() {
    return run(c -> print(c.get("/authenticators")));
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = {
        "Add an authenticator (WebDriver Add Virtual Authenticator); prints its id.",
        "The global --profile (a built-in profile ID) and --seed (deterministic keys and attestation) say which model and keys."
      })
  int add(
      @Option(names = "--transport", paramLabel = "T", description = "The WebDriver transport it reports: usb, nfc, ble, smart-card, hybrid, internal. Default: ${DEFAULT-VALUE}.", defaultValue = "usb") String transport,
      @Option(names = "--serve", paramLabel = "WHERE", description = "Also serve it over CTAPHID: udp:PORT, udp:PORT:REPLYPORT or uhid. Default: API only.") String serve,
      @Option(names = "--no-resident-key", description = "No discoverable credentials (getInfo rk false). Default: it has them.") boolean noResidentKey,
      @Option(names = "--uv", description = "Built-in user verification that verifies the user (hasUserVerification, isUserVerified). Default: none.") boolean uv,
      @Option(names = "--no-consent", description = "The user refuses every touch (isUserConsenting false). Default: the user consents.") boolean noConsent) {
    ObjectNode b = Json.MAPPER.createObjectNode();
    b.put("transport", transport);
    b.put("hasResidentKey", !noResidentKey);
    b.put("hasUserVerification", uv);
    b.put("isUserVerified", uv);
    b.put("isUserConsenting", !noConsent);
    b.put("softkey:profile", root.profileId());
    root.seed().ifPresent(s -> b.put("softkey:seed", s));
    if (serve != null) {
      b.put("softkey:serve", serve);
    }
    return run(c -> root.out().println(c.post("/webauthn/authenticator", b).asText()));
  }

  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an authenticator (WebDriver Remove Virtual Authenticator).")
  int remove(@Parameters(paramLabel = "ID", description = "The authenticator id (required; see 'softkey ctl list').") String id) {
    return run(c -> c.delete(ControlClient.authenticator(id, "")));
  }

  @Command(name = "power-cycle", mixinStandardHelpOptions = true,
      description = "Unplug and plug back the authenticator: PIN tokens and pending state are lost, credentials stay.")
  int powerCycle(@Parameters(paramLabel = "ID", description = "The authenticator id (required; see 'softkey ctl list').") String id) {
    return run(c -> c.post(ControlClient.authenticator(id, "/power-cycle"), null));
  }

  // ---- credentials

  @Command(name = "credentials", mixinStandardHelpOptions = true,
      description = "List the authenticator's credentials (WebDriver Get Credentials; private keys as base64url PKCS#8).")
  int credentials(@Parameters(paramLabel = "ID", description = "The authenticator id (required; see 'softkey ctl list').") String id) {
    return run(c -> print(c.get(ControlClient.authenticator(id, "/credentials"))));
  }

  @Command(name = "add-credential", mixinStandardHelpOptions = true,
      description = "Inject a credential (WebDriver Add Credential) made from a private key you hold; prints the credential.")
  int addCredential(
      @Parameters(paramLabel = "ID", description = "The authenticator id (required; see 'softkey ctl list').") String id,
      @Option(names = "--rp-id", required = true, paramLabel = "RPID", description = "The relying party ID, e.g. example.com (required).") String rpId,
      @Option(names = "--private-key-file", required = true, paramLabel = "FILE", description = "The private key: PKCS#8, DER or PEM (BEGIN PRIVATE KEY) (required).") Path keyFile,
      @Option(names = "--credential-id", paramLabel = "B64URL", description = "The credential ID, base64url. Default: 16 random bytes.") String credentialId,
      @Option(names = "--resident", description = "A discoverable credential (needs --user-handle). Default: not discoverable.") boolean resident,
      @Option(names = "--user-handle", paramLabel = "B64URL", description = "The user handle, base64url. Default: none.") String userHandle,
      @Option(names = "--user-name", paramLabel = "NAME", description = "The user name of a discoverable credential. Default: none.") String userName,
      @Option(names = "--user-display-name", paramLabel = "NAME", description = "The display name of a discoverable credential. Default: none.") String displayName,
      @Option(names = "--sign-count", paramLabel = "N", description = "The signature counter. Default: ${DEFAULT-VALUE}.", defaultValue = "0") long signCount,
      @Option(names = "--algorithm", paramLabel = "COSE", description = "The COSE algorithm of the key (-7 ES256, -35 ES384, -8 EdDSA, ...). Default: ES256.") Integer algorithm,
      @Option(names = "--backup-eligible", description = "Set BE (backup eligibility). Default: not eligible.") boolean backupEligible,
      @Option(names = "--backup-state", description = "Set BS (backed up). Default: not backed up.") boolean backupState) {
    ObjectNode b = Json.MAPPER.createObjectNode();
    b.put("credentialId", credentialId != null ? credentialId : b64(RandomSource.secure().bytes(16)));
    b.put("isResidentCredential", resident);
    b.put("rpId", rpId);
    b.put("privateKey", b64(pkcs8(keyFile)));
    if (userHandle != null) {
      b.put("userHandle", userHandle);
    }
    b.put("signCount", signCount);
    b.put("backupEligibility", backupEligible);
    b.put("backupState", backupState);
    if (userName != null) {
      b.put("userName", userName);
    }
    if (displayName != null) {
      b.put("userDisplayName", displayName);
    }
    if (algorithm != null) {
      b.put("softkey:algorithm", algorithm);
    }
    return run(c -> print(c.post(ControlClient.authenticator(id, "/credential"), b)));
  }

  @Command(name = "delete-credential", mixinStandardHelpOptions = true, description = "Remove one credential (WebDriver Remove Credential).")
  int deleteCredential(
      @Parameters(index = "0", paramLabel = "ID", description = "The authenticator id (required; see 'softkey ctl list').") String id,
      @Parameters(index = "1", paramLabel = "CRED", description = "The credential ID, base64url (required; write -- before one that starts with '-').") String cred) {
    return run(c -> c.delete(ControlClient.authenticator(id, "/credentials/" + ControlClient.segment(cred))));
  }

  @Command(name = "clear-credentials", mixinStandardHelpOptions = true, description = "Remove every credential (WebDriver Remove All Credentials).")
  int clearCredentials(@Parameters(paramLabel = "ID", description = "The authenticator id (required; see 'softkey ctl list').") String id) {
    return run(c -> c.delete(ControlClient.authenticator(id, "/credentials")));
  }

  @Command(name = "credential-props", mixinStandardHelpOptions = true,
      description = "Set a credential's backup flags (WebDriver Set Credential Properties).")
  int credentialProps(
      @Parameters(index = "0", paramLabel = "ID", description = "The authenticator id (required; see 'softkey ctl list').") String id,
      @Parameters(index = "1", paramLabel = "CRED", description = "The credential ID, base64url (required; write -- before one that starts with '-').") String cred,
      @Option(names = "--backup-eligibility", arity = "1", paramLabel = "true|false", description = "BE. Default: unchanged.") Boolean be,
      @Option(names = "--backup-state", arity = "1", paramLabel = "true|false", description = "BS. Default: unchanged.") Boolean bs) {
    ObjectNode b = Json.MAPPER.createObjectNode();
    if (be != null) {
      b.put("backupEligibility", be);
    }
    if (bs != null) {
      b.put("backupState", bs);
    }
    return run(c -> c.post(ControlClient.authenticator(id, "/credentials/" + ControlClient.segment(cred) + "/props"), b));
  }

  // ---- the user

  @Command(name = "uv", mixinStandardHelpOptions = true, description = "What built-in user verification answers from now on (WebDriver Set User Verified).")
  int uv(
      @Parameters(index = "0", paramLabel = "ID", description = "The authenticator id (required; see 'softkey ctl list').") String id,
      @Parameters(index = "1", paramLabel = "true|false", description = "true: the user is verified; false: UV fails (required).") String verified) {
    boolean v = bool(verified, "uv");
    ObjectNode b = Json.MAPPER.createObjectNode().put("isUserVerified", v);
    return run(c -> c.post(ControlClient.authenticator(id, "/uv"), b));
  }

  @Command(name = "uv-results", mixinStandardHelpOptions = true, description = "Queue built-in UV results, one per attempt, before the uv verdict.")
  int uvResults(
      @Parameters(index = "0", paramLabel = "ID", description = "The authenticator id (required; see 'softkey ctl list').") String id,
      @Parameters(index = "1", paramLabel = "RESULTS", split = ",", description = "true or false, comma separated, e.g. false,true (required).") List<String> results) {
    ObjectNode b = Json.MAPPER.createObjectNode();
    ArrayNode a = b.putArray("results");
    results.forEach(r -> a.add(bool(r, "uv-results")));
    return run(c -> c.post(ControlClient.authenticator(id, "/uv-results"), b));
  }

  @Command(name = "presence", mixinStandardHelpOptions = true,
      description = {
        "How the user answers touch requests: approve, deny or timeout from now on, 'default' to go back to serve's --presence,",
        "or --queue a,b,c answers used one per request before that."
      })
  int presence(
      @Parameters(index = "0", paramLabel = "ID", description = "The authenticator id (required; see 'softkey ctl list').") String id,
      @Parameters(index = "1", arity = "0..1", paramLabel = "ANSWER", description = "approve, deny, timeout or default. Default: none (then --queue is required).") String answer,
      @Option(names = "--delay-ms", paramLabel = "N", description = "Wait N ms before answering (keepalives meanwhile). Default: ${DEFAULT-VALUE}.", defaultValue = "0") long delayMs,
      @Option(names = "--queue", split = ",", paramLabel = "A,B,...", description = "Answers consumed one per request, each after --delay-ms. Default: none.") List<String> queue) {
    if ((answer == null) == (queue == null)) {
      throw new UsageException("give either an ANSWER (approve, deny, timeout, default) or --queue a,b,c");
    }
    if (delayMs < 0) {
      throw new UsageException("--delay-ms must not be negative");
    }
    ObjectNode b = Json.MAPPER.createObjectNode();
    if (queue != null) {
      ArrayNode a = b.putArray("queue");
      for (String q : queue) {
        a.addObject().put("answer", answer(q, false)).put("delayMs", delayMs);
      }
    } else {
      b.put("answer", answer(answer, true));
      if (!answer.equals("default")) {
        b.put("delayMs", delayMs);
      }
    }
    return run(c -> c.post(ControlClient.authenticator(id, "/presence"), b));
  }

  private static String answer(String a, boolean defaultAllowed) {
    if (a.equals("approve") || a.equals("deny") || a.equals("timeout") || (defaultAllowed && a.equals("default"))) {
      return a;
    }
    throw new UsageException("a presence answer is approve, deny, timeout" + (defaultAllowed ? " or default" : "") + ", not " + a);
  }

  @Command(name = "pin", mixinStandardHelpOptions = true,
      description = {
        "The authenticator's PIN: 'set' (the PIN from stdin or --pin-file), 'clear', 'retries N', 'status'.",
        "A PIN is never given on the command line."
      })
  int pin(
      @Parameters(index = "0", paramLabel = "ID", description = "The authenticator id (required; see 'softkey ctl list').") String id,
      @Parameters(index = "1", paramLabel = "ACTION", description = "set, clear, retries or status (required).") String action,
      @Parameters(index = "2", arity = "0..1", paramLabel = "N", description = "For retries: the PIN retries left (0..8; required there). Default: none.") String n,
      @Option(names = "--pin-file", paramLabel = "FILE", description = "For set: the file whose first line is the PIN ('-': stdin). Default: stdin.") Path pinFile) {
    String path = ControlClient.authenticator(id, "/pin");
    switch (action) {
      case "status" -> {
        return run(c -> print(c.get(path)));
      }
      case "clear" -> {
        return run(c -> c.delete(path));
      }
      case "set" -> {
        String pin = secret(pinFile);
        ObjectNode b = Json.MAPPER.createObjectNode().put("pin", pin);
        return run(c -> c.post(path, b));
      }
      case "retries" -> {
        if (n == null) {
          throw new UsageException("pin ID retries N: give N");
        }
        int r;
        try {
          r = Integer.parseInt(n);
        } catch (NumberFormatException e) {
          throw new UsageException("pin retries: " + n + " is not a number");
        }
        ObjectNode b = Json.MAPPER.createObjectNode().put("retries", r);
        return run(c -> c.post(path + "/retries", b));
      }
      default -> throw new UsageException("pin ACTION is set, clear, retries or status, not " + action);
    }
  }

  // ---- faults

  @Command(name = "fault", mixinStandardHelpOptions = true,
      description = "Add a fault: a CTAP status, a delay or a dropped reply for one command (or every one), once, always or every n-th time.")
  int fault(
      @Parameters(paramLabel = "ID", description = "The authenticator id (required; see 'softkey ctl list').") String id,
      @Option(names = "--command", paramLabel = "C", description = "makeCredential, getAssertion, getInfo, clientPin, ... or '*' for every CTAP2 command. Default: ${DEFAULT-VALUE}.", defaultValue = "*") String command,
      @Option(names = "--status", paramLabel = "S", description = "The status to answer: a name (CTAP2_ERR_...) or a hex byte (0x27). Default: none (with --delay-ms or --drop).") String status,
      @Option(names = "--times", paramLabel = "once|always|every", description = "How often. Default: ${DEFAULT-VALUE}.", defaultValue = "once") String times,
      @Option(names = "--n", paramLabel = "N", description = "With --times every: every N-th request. Default: ${DEFAULT-VALUE}.", defaultValue = "2") int n,
      @Option(names = "--delay-ms", paramLabel = "N", description = "Wait N ms first (keepalives meanwhile). Default: ${DEFAULT-VALUE}.", defaultValue = "0") long delayMs,
      @Option(names = "--drop", description = "Send no reply at all (the client's own timeout fires). Default: a reply.") boolean drop) {
    if (!times.equals("once") && !times.equals("always") && !times.equals("every")) {
      throw new UsageException("--times must be once, always or every, not " + times);
    }
    if (status == null && delayMs == 0 && !drop) {
      throw new UsageException("a fault needs --status, --delay-ms or --drop");
    }
    ObjectNode b = Json.MAPPER.createObjectNode();
    b.put("command", command);
    if (status != null) {
      b.put("status", status);
    }
    b.put("times", times);
    if (times.equals("every")) {
      b.put("n", n);
    }
    if (delayMs > 0) {
      b.put("delayMs", delayMs);
    }
    b.put("dropReply", drop);
    return run(c -> print(c.post(ControlClient.authenticator(id, "/faults"), b)));
  }

  @Command(name = "faults", mixinStandardHelpOptions = true, description = "List the fault plan's rules, or --clear them.")
  int faults(
      @Parameters(paramLabel = "ID", description = "The authenticator id (required; see 'softkey ctl list').") String id,
      @Option(names = "--clear", description = "Remove every rule. Default: list them.") boolean clear) {
    String path = ControlClient.authenticator(id, "/faults");
    return run(c -> {
      if (clear) {
        c.delete(path);
      } else {
        print(c.get(path));
      }
    });
  }

  @Command(name = "overrides", mixinStandardHelpOptions = true,
      description = "Chrome's response override bits: the bits given are set, the others cleared (none given: all cleared).")
  int overrides(
      @Parameters(paramLabel = "ID", description = "The authenticator id (required; see 'softkey ctl list').") String id,
      @Option(names = "--bogus-signature", description = "Signatures do not verify. Default: off.") boolean bogus,
      @Option(names = "--bad-uv", description = "The UV flag is cleared in authenticator data. Default: off.") boolean badUv,
      @Option(names = "--bad-up", description = "The UP flag is cleared in authenticator data. Default: off.") boolean badUp) {
    ObjectNode b = Json.MAPPER.createObjectNode().put("isBogusSignature", bogus).put("isBadUV", badUv).put("isBadUP", badUp);
    return run(c -> c.post(ControlClient.authenticator(id, "/response-override-bits"), b));
  }

  // ---- events, ceremonies

  @Command(name = "events", mixinStandardHelpOptions = true,
      description = "Print the authenticator's events (credential changes, every CTAP request and response) as JSON lines until Ctrl-C.")
  int events(
      @Parameters(paramLabel = "ID", description = "The authenticator id (required; see 'softkey ctl list').") String id,
      @Option(names = "--count", paramLabel = "N", description = "Stop after N events. Default: until Ctrl-C.") Integer count) {
    if (count != null && count < 1) {
      throw new UsageException("--count must be at least 1");
    }
    AtomicInteger seen = new AtomicInteger();
    return run(c -> c.events(ControlClient.authenticator(id, "/events"), (event, data) -> {
      ObjectNode line = Json.MAPPER.createObjectNode();
      line.put("event", event);
      try {
        line.set("data", Json.MAPPER.readTree(data));
      } catch (IOException e) {
        line.put("data", data);
      }
      root.out().println(line.toString());
      root.out().flush();
      return count == null || seen.incrementAndGet() < count;
    }));
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "navigator.credentials.create() on the authenticator: PublicKeyCredentialCreationOptionsJSON in, the RegistrationResponseJSON out.")
  int create(
      @Parameters(index = "0", paramLabel = "ID", description = "The authenticator id (required; see 'softkey ctl list').") String id,
      @Parameters(index = "1", arity = "0..1", paramLabel = "OPTIONS", description = "The options JSON file, with or without the publicKey wrapper. Default: stdin (also '-').") String options,
      @Option(names = "--origin", required = true, paramLabel = "ORIGIN", description = "The caller's origin, e.g. https://example.com (required).") String origin,
      @Option(names = "--pin-file", paramLabel = "FILE", description = "The file whose first line is the PIN, for a key with one. Default: no PIN.") Path pinFile) {
    return ceremony(id, "/webauthn/create", options, origin, pinFile);
  }

  @Command(name = "get", mixinStandardHelpOptions = true,
      description = "navigator.credentials.get() on the authenticator: PublicKeyCredentialRequestOptionsJSON in, the AuthenticationResponseJSON out.")
  int get(
      @Parameters(index = "0", paramLabel = "ID", description = "The authenticator id (required; see 'softkey ctl list').") String id,
      @Parameters(index = "1", arity = "0..1", paramLabel = "OPTIONS", description = "The options JSON file, with or without the publicKey wrapper. Default: stdin (also '-').") String options,
      @Option(names = "--origin", required = true, paramLabel = "ORIGIN", description = "The caller's origin, e.g. https://example.com (required).") String origin,
      @Option(names = "--pin-file", paramLabel = "FILE", description = "The file whose first line is the PIN, for a key with one. Default: no PIN.") Path pinFile) {
    return ceremony(id, "/webauthn/get", options, origin, pinFile);
  }

  @Command(name = "attestation-root", mixinStandardHelpOptions = true,
      description = "Print softkey's attestation root for the authenticator (and the CRLs), PEM.")
  int attestationRoot(@Parameters(paramLabel = "ID", description = "The authenticator id (required; see 'softkey ctl list').") String id) {
    return run(c -> root.out().print(c.get(ControlClient.authenticator(id, "/attestation/root")).asText()));
  }

  private int ceremony(String id, String route, String optionsFile, String origin, Path pinFile) {
    String text;
    try {
      text = optionsFile == null || optionsFile.equals("-")
          ? new String(root.stdin().readAllBytes(), StandardCharsets.UTF_8)
          : Files.readString(Path.of(optionsFile), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException("cannot read the options " + (optionsFile == null ? "from stdin" : optionsFile) + ": " + IoErrors.reason(e));
    }
    JsonNode options;
    try {
      options = Json.MAPPER.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UsageException("the options are not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UsageException("the options are not JSON: " + IoErrors.reason(e));
    }
    if (options == null || !options.isObject()) {
      throw new UsageException("the options must be a JSON object");
    }
    ObjectNode b = Json.MAPPER.createObjectNode();
    b.set("options", options);
    b.put("origin", origin);
    if (pinFile != null) {
      b.put("pin", secret(pinFile));
    }
    return run(c -> print(c.post(ControlClient.authenticator(id, route), b)));
  }

  // ---- plumbing

  /** One API call; an {@link ControlClient.ApiError} is the line {@code softkey ctl: error: message}, exit 1. */
  private int run(java.util.function.Consumer<ControlClient> call) {
    ControlClient c = client();
    try {
      call.accept(c);
    } catch (ControlClient.ApiError e) {
      root.err().println("softkey ctl: " + e.error() + ": " + e.getMessage());
      return Main.EXIT_FAILURE;
    }
    root.out().flush();
    return 0;
  }

  private ControlClient client() {
    if (timeoutSeconds <= 0) {
      throw new UsageException("--timeout must be positive");
    }
    Duration timeout = Duration.ofMillis((long) (timeoutSeconds * 1000));
    ControlDir dir = new ControlDir(controlDir);
    if (endpoint != null) {
      if (!"http".equals(endpoint.getScheme())) {
        throw new UsageException("--endpoint must be http://HOST:PORT/softkey/v1, not " + endpoint);
      }
      String token;
      if (tokenFile != null) {
        token = ControlDir.readToken(tokenFile);
      } else if (System.getenv(TOKEN_ENV) != null && !System.getenv(TOKEN_ENV).isBlank()) {
        token = System.getenv(TOKEN_ENV).strip();
      } else {
        token = ControlDir.readToken(dir.tokenFile());
      }
      return new ControlClient(endpoint, token, timeout);
    }
    URI base = dir.readEndpoint();
    return new ControlClient(base, ControlDir.readToken(tokenFile != null ? tokenFile : dir.tokenFile()), timeout);
  }

  private void print(JsonNode value) {
    if (value.isTextual()) {
      root.out().println(value.asText());
    } else if (!value.isNull()) {
      Json.print(root.out(), value);
    }
  }

  private String secret(Path file) {
    Optional<String> s;
    if (file == null || file.toString().equals(SecretInput.STDIN)) {
      s = root.stdinLine();
    } else {
      try {
        s = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst();
      } catch (IOException e) {
        throw new UsageException("cannot read the PIN file " + file + ": " + IoErrors.reason(e));
      }
    }
    return s.filter(p -> !p.isEmpty()).orElseThrow(() -> new UsageException("no PIN: give it on stdin or in --pin-file"));
  }

  private static boolean bool(String s, String what) {
    return switch (s) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new UsageException(what + ": true or false, not " + s);
    };
  }

  private static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** A PKCS#8 private key file: DER, or PEM with BEGIN PRIVATE KEY. */
  static byte[] pkcs8(Path file) {
    byte[] raw;
    try {
      raw = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UsageException("cannot read the private key file " + file + ": " + IoErrors.reason(e));
    }
    String text = new String(raw, StandardCharsets.US_ASCII);
    if (text.contains("-----BEGIN")) {
      int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
      int end = text.indexOf("-----END PRIVATE KEY-----");
      if (begin < 0 || end < begin) {
        throw new UsageException(file + " is PEM but not BEGIN PRIVATE KEY (PKCS#8); convert it with 'openssl pkcs8 -topk8 -nocrypt'");
      }
      String body = text.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end).replaceAll("\\s", "");
      try {
        return Base64.getDecoder().decode(body);
      } catch (IllegalArgumentException e) {
        throw new UsageException(file + ": the PEM body is not base64");
      }
    }
    if (raw.length < 2 || raw[0] != 0x30) {
      throw new UsageException(file + " is neither PKCS#8 DER nor PEM");
    }
    return raw;
  }
}
