package dev.softkey.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.core.control.CredentialEvent;
import dev.softkey.core.control.DeviceControl;
import dev.softkey.core.control.PinStatus;
import dev.softkey.core.control.Pkcs8;
import dev.softkey.core.control.ResponseOverrides;
import dev.softkey.core.control.VirtualCredential;
import dev.softkey.core.fault.FaultRule;
import dev.softkey.core.presence.SteerablePresence;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.ctap.model.Bytes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The routes that steer a running authenticator through the core's {@link DeviceControl}, {@link
 * SteerablePresence} and fault plan: WebDriver's credential commands (WebAuthn L3 sections 11.6 to
 * 11.10, Credential Parameters of 11.4 with the same member names) and softkey's presence, UV
 * results, PIN, faults and response-override routes. Bad members are "invalid argument".
 */
final class Steering {
  /** Longest delay a presence answer or fault may ask for. */
  static final long MAX_DELAY_MS = 600_000;

  private Steering() {}

  static void routes(Router router, Api api) {
    String a = Api.A;
    router.add("POST", a + "/credential", "Add Credential (WebDriver): Credential Parameters, privateKey base64url PKCS#8",
        Api.members("credentialId", "string", "isResidentCredential", "boolean", "rpId", "string", "privateKey", "string",
            "userHandle", "string", "signCount", "integer", "largeBlob", "string", "backupEligibility", "boolean",
            "backupState", "boolean", "userName", "string", "userDisplayName", "string", "softkey:algorithm", "integer"),
        r -> {
          Api.Entry e = api.entry(r);
          e.hosted().engine().control().addCredential(credential(r.body(), e));
          return ApiResponse.empty();
        });
    router.add("GET", a + "/credentials", "Get Credentials (WebDriver): value = Credential Parameters of each", r -> {
      ArrayNode list = Json.NODES.arrayNode();
      api.entry(r).hosted().engine().control().credentials().forEach(c -> list.add(toJson(c)));
      return ApiResponse.value(list);
    });
    router.add("DELETE", a + "/credentials/{credentialId}", "Remove Credential (WebDriver)", r -> {
      DeviceControl control = api.entry(r).hosted().engine().control();
      Bytes id = base64Url(r.param("credentialId"), "credentialId");
      if (!control.removeCredential(id)) {
        throw ApiException.invalidArgument("no credential " + r.param("credentialId"));
      }
      return ApiResponse.empty();
    });
    router.add("DELETE", a + "/credentials", "Remove All Credentials (WebDriver)", r -> {
      api.entry(r).hosted().engine().control().clearCredentials();
      return ApiResponse.empty();
    });
    router.add("POST", a + "/uv", "Set User Verified (WebDriver)", Api.members("isUserVerified", "boolean"), r -> {
      DeviceControl control = api.entry(r).hosted().engine().control();
      boolean v = Json.optBool(r.body(), "isUserVerified").orElseThrow(() -> ApiException.invalidArgument("isUserVerified is required"));
      control.setUserVerified(v);
      return ApiResponse.empty();
    });
    router.add("POST", a + "/credentials/{credentialId}/props", "Set Credential Properties (WebDriver): backupEligibility, backupState",
        Api.members("backupEligibility", "boolean", "backupState", "boolean"), r -> {
          DeviceControl control = api.entry(r).hosted().engine().control();
          Bytes id = base64Url(r.param("credentialId"), "credentialId");
          if (control.credential(id).isEmpty()) {
            throw ApiException.invalidArgument("no credential " + r.param("credentialId"));
          }
          control.setCredentialProperties(id, Json.optBool(r.body(), "backupEligibility"), Json.optBool(r.body(), "backupState"));
          return ApiResponse.empty();
        });
    router.add("POST", a + "/presence",
        "Presence answers: {answer: approve|deny|timeout|default, delayMs} or {queue: [{answer, delayMs}...]}",
        Api.members("answer", "string", "delayMs", "integer", "queue", "array"), r -> {
          presence(api.entry(r).hosted().presence(), r.body());
          return ApiResponse.empty();
        });
    router.add("POST", a + "/uv-results", "Built-in UV verdicts consumed one per attempt: {results: [true, false...]}",
        Api.members("results", "array"), r -> {
          DeviceControl control = api.entry(r).hosted().engine().control();
          JsonNode results = r.body().get("results");
          if (results == null || !results.isArray()) {
            throw ApiException.invalidArgument("results must be an array of booleans");
          }
          List<Boolean> list = new ArrayList<>();
          for (JsonNode n : results) {
            if (!n.isBoolean()) {
              throw ApiException.invalidArgument("results must be an array of booleans");
            }
            list.add(n.booleanValue());
          }
          control.queueUvResults(list);
          return ApiResponse.empty();
        });
    router.add("GET", a + "/pin", "PIN state: isSet, retries, forceChange", r -> {
      PinStatus s = api.entry(r).hosted().engine().control().pinStatus();
      ObjectNode o = Json.object();
      o.put("isSet", s.isSet());
      o.put("retries", s.retries());
      o.put("forceChange", s.forceChange());
      return ApiResponse.value(o);
    });
    router.add("POST", a + "/pin", "Sets the PIN directly (retries back to the maximum)", Api.members("pin", "string"), r -> {
      DeviceControl control = api.entry(r).hosted().engine().control();
      control.setPin(Json.text(r.body(), "pin"));
      return ApiResponse.empty();
    });
    router.add("DELETE", a + "/pin", "Removes the PIN", r -> {
      api.entry(r).hosted().engine().control().clearPin();
      return ApiResponse.empty();
    });
    router.add("POST", a + "/pin/retries", "Sets pinRetries (0 blocks the PIN)", Api.members("retries", "integer"), r -> {
      DeviceControl control = api.entry(r).hosted().engine().control();
      int retries = Json.optInt(r.body(), "retries", 255).orElseThrow(() -> ApiException.invalidArgument("retries is required"));
      control.setPinRetries(retries);
      return ApiResponse.empty();
    });
    router.add("GET", a + "/faults", "The fault plan's rules, in order", r -> ApiResponse.value(faults(api.entry(r))));
    router.add("POST", a + "/faults",
        "Adds a fault rule: command (makeCredential, getAssertion, ... or *), status (CTAP2_ERR_... or 0xNN), times once|always|every, n, delayMs, dropReply",
        Api.members("command", "string", "status", "string", "times", "string", "n", "integer", "delayMs", "integer", "dropReply", "boolean"),
        r -> {
          Api.Entry e = api.entry(r);
          e.hosted().faults().add(rule(r.body()));
          return ApiResponse.empty();
        });
    router.add("DELETE", a + "/faults", "Clears the fault plan", r -> {
      api.entry(r).hosted().faults().clear();
      return ApiResponse.empty();
    });
    router.add("POST", a + "/response-override-bits",
        "Deliberately broken responses as Chrome's virtual authenticator: isBogusSignature, isBadUV, isBadUP",
        Api.members("isBogusSignature", "boolean", "isBadUV", "boolean", "isBadUP", "boolean"), r -> {
          DeviceControl control = api.entry(r).hosted().engine().control();
          ResponseOverrides o = new ResponseOverrides(Json.bool(r.body(), "isBogusSignature", false), Json.bool(r.body(), "isBadUV", false),
              Json.bool(r.body(), "isBadUP", false));
          control.setResponseOverrides(o);
          return ApiResponse.empty();
        });
  }

  // ---- credentials

  static VirtualCredential credential(ObjectNode b, Api.Entry e) {
    if (b.has("largeBlob") && !b.get("largeBlob").isNull()) {
      throw ApiException.invalidArgument("largeBlob is not supported by softkey's control API");
    }
    Bytes id = base64Url(Json.text(b, "credentialId"), "credentialId");
    boolean resident = Json.optBool(b, "isResidentCredential").orElseThrow(() -> ApiException.invalidArgument("isResidentCredential is required"));
    String rpId = Json.text(b, "rpId");
    Bytes key = base64Url(Json.text(b, "privateKey"), "privateKey");
    Optional<Bytes> userHandle = Json.optText(b, "userHandle").map(u -> base64Url(u, "userHandle"));
    long signCount = Json.optLong(b, "signCount").orElse(0L);
    if (signCount < 0 || signCount > 0xFFFFFFFFL) {
      throw ApiException.invalidArgument("signCount must be 0..2^32-1");
    }
    CoseAlgorithm alg;
    try {
      alg = Pkcs8.decode(key).algorithm();
    } catch (RuntimeException ex) {
      throw ApiException.invalidArgument("privateKey is not a PKCS#8 key of an algorithm softkey signs with");
    }
    Optional<Long> asked = Json.optLong(b, "softkey:algorithm");
    if (asked.isPresent() && asked.get() != alg.id()) {
      throw ApiException.invalidArgument("softkey:algorithm " + asked.get() + " does not match the private key (" + alg.id() + ")");
    }
    var profile = e.hosted().device().profile();
    boolean be = Json.optBool(b, "backupEligibility").orElse(profile.credentials().backupEligible());
    boolean bs = Json.optBool(b, "backupState").orElse(profile.credentials().backupState());
    return new VirtualCredential(id, resident, rpId, key, userHandle, signCount, be, bs, Json.optText(b, "userName"),
        Json.optText(b, "userDisplayName"), alg);
  }

  static ObjectNode toJson(VirtualCredential c) {
    ObjectNode o = Json.object();
    o.put("credentialId", c.credentialId().base64Url());
    o.put("isResidentCredential", c.residentCredential());
    o.put("rpId", c.rpId());
    o.put("privateKey", c.privateKeyPkcs8().base64Url());
    c.userHandle().ifPresent(u -> o.put("userHandle", u.base64Url()));
    o.put("signCount", c.signCount());
    o.put("backupEligibility", c.backupEligible());
    o.put("backupState", c.backupState());
    c.userName().ifPresent(n -> o.put("userName", n));
    c.userDisplayName().ifPresent(n -> o.put("userDisplayName", n));
    o.put("softkey:algorithm", c.algorithm().id());
    return o;
  }

  /** The SSE event of a credential event: credentialAdded, credentialAsserted, ... */
  static String eventName(CredentialEvent e) {
    return switch (e.type()) {
      case ADDED -> "credentialAdded";
      case ASSERTED -> "credentialAsserted";
      case DELETED -> "credentialDeleted";
      case UPDATED -> "credentialUpdated";
    };
  }

  static ObjectNode eventJson(CredentialEvent e) {
    ObjectNode o = Json.object();
    o.put("credentialId", e.credentialId().base64Url());
    o.put("rpId", e.rpId());
    e.userHandle().ifPresent(u -> o.put("userHandle", u.base64Url()));
    o.put("signCount", e.signCount());
    o.put("backupEligibility", e.backupEligible());
    o.put("backupState", e.backupState());
    return o;
  }

  static Bytes base64Url(String s, String member) {
    if (!s.matches("[A-Za-z0-9_-]*")) {
      throw ApiException.invalidArgument(member + " must be base64url");
    }
    try {
      return Bytes.fromBase64Url(s);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidArgument(member + " must be base64url");
    }
  }

  // ---- presence

  static void presence(SteerablePresence p, ObjectNode b) {
    JsonNode queue = b.get("queue");
    if (queue != null && !queue.isNull()) {
      if (!queue.isArray()) {
        throw ApiException.invalidArgument("queue must be an array of {answer, delayMs}");
      }
      List<SteerablePresence.Answer> answers = new ArrayList<>();
      for (JsonNode n : queue) {
        if (!n.isObject()) {
          throw ApiException.invalidArgument("queue must be an array of {answer, delayMs}");
        }
        String kind = Json.text(n, "answer");
        if (kind.equals("default")) {
          throw ApiException.invalidArgument("a queued answer is approve, deny or timeout");
        }
        answers.add(answer(kind, n));
      }
      p.queue(answers);
      return;
    }
    String kind = Json.text(b, "answer");
    if (kind.equals("default")) {
      p.clearDefault();
    } else {
      p.setDefault(answer(kind, b));
    }
  }

  private static SteerablePresence.Answer answer(String kind, JsonNode n) {
    SteerablePresence.Answer a = switch (kind) {
      case "approve" -> SteerablePresence.Answer.approve();
      case "deny" -> SteerablePresence.Answer.deny();
      case "timeout" -> SteerablePresence.Answer.timeout();
      default -> throw ApiException.invalidArgument("answer must be approve, deny, timeout or default");
    };
    long delay = Json.optInt(n, "delayMs", MAX_DELAY_MS).orElse(0);
    return delay == 0 ? a : a.after(Duration.ofMillis(delay));
  }

  // ---- faults

  static FaultRule rule(ObjectNode b) {
    Optional<CtapCommand> command = command(Json.text(b, "command"));
    Optional<CtapStatus> status = Optional.empty();
    JsonNode s = b.get("status");
    if (s != null && !s.isNull()) {
      status = Optional.of(status(s));
    }
    long delayMs = Json.optInt(b, "delayMs", MAX_DELAY_MS).orElse(0);
    boolean drop = Json.bool(b, "dropReply", false);
    String times = Json.optText(b, "times").orElse("once");
    FaultRule.Mode mode = switch (times) {
      case "once" -> FaultRule.Mode.ONCE;
      case "always" -> FaultRule.Mode.ALWAYS;
      case "every" -> FaultRule.Mode.EVERY_NTH;
      default -> throw ApiException.invalidArgument("times must be once, always or every");
    };
    int n = Json.optInt(b, "n", Integer.MAX_VALUE).orElse(mode == FaultRule.Mode.EVERY_NTH ? 0 : 1);
    if (mode == FaultRule.Mode.EVERY_NTH && n < 1) {
      throw ApiException.invalidArgument("times every needs n of 1 or more");
    }
    return new FaultRule(command, mode, n, status, Duration.ofMillis(delayMs), drop);
  }

  static Optional<CtapCommand> command(String name) {
    if (name.equals("*")) {
      return Optional.empty();
    }
    for (CtapCommand c : CtapCommand.values()) {
      String spec = CtapJson.commandName(c);
      String shortName = Character.toLowerCase(spec.charAt("authenticator".length())) + spec.substring("authenticator".length() + 1);
      if (name.equals(spec) || name.equals(shortName) || name.equals(c.name())) {
        return Optional.of(c);
      }
    }
    throw ApiException.invalidArgument("command " + name + " is not a CTAP2 command (makeCredential, getAssertion, ... or *)");
  }

  static CtapStatus status(JsonNode s) {
    Optional<CtapStatus> st;
    if (s.isIntegralNumber()) {
      st = CtapStatus.fromCode(s.intValue());
    } else if (s.isTextual()) {
      String t = s.textValue().trim();
      if (t.toLowerCase(Locale.ROOT).startsWith("0x")) {
        try {
          st = CtapStatus.fromCode(Integer.parseInt(t.substring(2), 16));
        } catch (NumberFormatException e) {
          st = Optional.empty();
        }
      } else {
        st = java.util.Arrays.stream(CtapStatus.values()).filter(c -> c.name().equals(t)).findFirst();
      }
    } else {
      st = Optional.empty();
    }
    return st.orElseThrow(() -> ApiException.invalidArgument("status must be a CTAP status name (CTAP2_ERR_...) or code (0xNN)"));
  }

  static ArrayNode faults(Api.Entry e) {
    ArrayNode a = Json.NODES.arrayNode();
    for (FaultRule r : e.hosted().faults().rules()) {
      ObjectNode o = a.addObject();
      o.put("command", r.command().map(c -> {
        String spec = CtapJson.commandName(c);
        return Character.toLowerCase(spec.charAt("authenticator".length())) + spec.substring("authenticator".length() + 1);
      }).orElse("*"));
      o.put("times", switch (r.mode()) {
        case ONCE -> "once";
        case ALWAYS -> "always";
        case EVERY_NTH -> "every";
      });
      o.put("n", r.n());
      if (r.status().isPresent()) {
        o.put("status", r.status().get().name());
      } else {
        o.putNull("status");
      }
      o.put("delayMs", r.delay().toMillis());
      o.put("dropReply", r.dropReply());
    }
    return a;
  }
}
