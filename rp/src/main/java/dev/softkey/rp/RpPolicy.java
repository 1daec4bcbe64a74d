package dev.softkey.rp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The site's passkey policy, modelled on Entra ID's {@code fido2AuthenticationMethodConfiguration}
 * (Microsoft Graph; its member names where it has them): key restrictions by AAGUID (an allow or a
 * block list, checked at registration and at every sign-in against the AAGUID stored at
 * registration), attestation enforced through FIDO metadata (registration only, as Entra), user
 * verification required or preferred, and the COSE algorithms a credential may use (softkey's
 * addition; Entra has no such member).
 *
 * <pre>
 * {"keyRestrictions": {"isEnforced": true, "enforcementType": "allow", "aaGuids": ["..."]},
 *  "isAttestationEnforced": true, "userVerification": "required", "allowedAlgorithms": [-7, -8, -257]}
 * </pre>
 *
 * Every member is optional (the defaults are {@link #DEFAULT}'s: nothing enforced, UV preferred,
 * every algorithm Yubico's library verifies). Members Entra's configuration carries and this RP
 * does not use ({@code id}, {@code state}, {@code isSelfServiceRegistrationAllowed}, the target
 * lists, {@code @odata.*}) are ignored, so a Graph answer can be pasted; any other member is an
 * error, so a typo does not silently turn a policy off.
 */
public record RpPolicy(KeyRestrictions keyRestrictions, boolean isAttestationEnforced, UserVerification userVerification,
    List<Integer> allowedAlgorithms) {

  /** The COSE algorithms Yubico's java-webauthn-server 2.9 verifies and this RP offers, preferred first. */
  public static final List<Integer> SUPPORTED_ALGORITHMS = List.of(-7, -8, -35, -36, -257);

  /** Nothing enforced, UV preferred, every supported algorithm. */
  public static final RpPolicy DEFAULT =
      new RpPolicy(new KeyRestrictions(false, EnforcementType.BLOCK, List.of()), false, UserVerification.PREFERRED, SUPPORTED_ALGORITHMS);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> IGNORED = Set.of("id", "state", "isSelfServiceRegistrationAllowed", "includeTargets", "excludeTargets");

  public RpPolicy {
    allowedAlgorithms = List.copyOf(allowedAlgorithms);
    if (allowedAlgorithms.isEmpty()) {
      throw new InvalidPolicyException("allowedAlgorithms must name at least one algorithm");
    }
    for (int alg : allowedAlgorithms) {
      if (!SUPPORTED_ALGORITHMS.contains(alg)) {
        throw new InvalidPolicyException("allowedAlgorithms: " + alg + " is not one of " + SUPPORTED_ALGORITHMS + " (" + names(SUPPORTED_ALGORITHMS) + ")");
      }
    }
  }

  /** allow: only the listed AAGUIDs may register and sign in; block: all but the listed ones. */
  public enum EnforcementType {
    ALLOW,
    BLOCK;

    public String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What the policy asks of user verification. */
  public enum UserVerification {
    REQUIRED,
    PREFERRED;

    public String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Entra's keyRestrictions: the AAGUIDs are kept in lower case, as {@link UUID#toString()} writes them. */
  public record KeyRestrictions(boolean isEnforced, EnforcementType enforcementType, List<String> aaGuids) {
    public KeyRestrictions {
      List<String> normal = new ArrayList<>();
      for (String a : aaGuids) {
        normal.add(aaguid(a));
      }
      aaGuids = List.copyOf(new LinkedHashSet<>(normal));
    }

    /** Whether this restriction lets a key of {@code aaguid} (any case) in. */
    public boolean admits(String aaguid) {
      if (!isEnforced) {
        return true;
      }
      boolean listed = aaGuids.contains(aaguid.toLowerCase(Locale.ROOT));
      return enforcementType == EnforcementType.ALLOW ? listed : !listed;
    }
  }

  /** A malformed policy: the message names the member and what is wrong with it. */
  public static final class InvalidPolicyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidPolicyException(String message) {
      super(message);
    }
  }

  /** Reads a policy file. */
  public static RpPolicy load(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new InvalidPolicyException("policy file " + file + " does not exist");
    }
    try {
      return parse(text);
    } catch (InvalidPolicyException e) {
      throw new InvalidPolicyException("policy file " + file + ": " + e.getMessage());
    }
  }

  /** Parses a policy's JSON; a malformed one throws {@link InvalidPolicyException}. */
  public static RpPolicy parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidPolicyException("not JSON: " + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr());
    }
    if (root == null || !root.isObject()) {
      throw new InvalidPolicyException("a policy is a JSON object, e.g. {\"isAttestationEnforced\": true}");
    }
    KeyRestrictions restrictions = DEFAULT.keyRestrictions;
    boolean attestation = DEFAULT.isAttestationEnforced;
    UserVerification uv = DEFAULT.userVerification;
    List<Integer> algorithms = DEFAULT.allowedAlgorithms;
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      switch (e.getKey()) {
        case "keyRestrictions" -> restrictions = keyRestrictions(v);
        case "isAttestationEnforced" -> attestation = bool("isAttestationEnforced", v);
        case "userVerification" -> uv = oneOf("userVerification", v, UserVerification.class);
        case "allowedAlgorithms" -> algorithms = algorithms(v);
        default -> {
          if (!e.getKey().startsWith("@") && !IGNORED.contains(e.getKey())) {
            throw new InvalidPolicyException("unknown member '" + e.getKey()
                + "' (a policy has keyRestrictions, isAttestationEnforced, userVerification, allowedAlgorithms)");
          }
        }
      }
    }
    return new RpPolicy(restrictions, attestation, uv, algorithms);
  }

  private static KeyRestrictions keyRestrictions(JsonNode v) {
    if (!v.isObject()) {
      throw new InvalidPolicyException("keyRestrictions must be an object {isEnforced, enforcementType, aaGuids}");
    }
    boolean enforced = false;
    EnforcementType type = EnforcementType.BLOCK;
    List<String> aaguids = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      switch (e.getKey()) {
        case "isEnforced" -> enforced = bool("keyRestrictions.isEnforced", e.getValue());
        case "enforcementType" -> type = oneOf("keyRestrictions.enforcementType", e.getValue(), EnforcementType.class);
        case "aaGuids" -> {
          if (!e.getValue().isArray()) {
            throw new InvalidPolicyException("keyRestrictions.aaGuids must be an array of AAGUID strings");
          }
          for (JsonNode a : e.getValue()) {
            if (!a.isTextual()) {
              throw new InvalidPolicyException("keyRestrictions.aaGuids: " + a + " is not a string");
            }
            aaguids.add(a.asText());
          }
        }
        default -> {
          if (!e.getKey().startsWith("@")) {
            throw new InvalidPolicyException("unknown member 'keyRestrictions." + e.getKey() + "' (it has isEnforced, enforcementType, aaGuids)");
          }
        }
      }
    }
    return new KeyRestrictions(enforced, type, aaguids);
  }

  private static List<Integer> algorithms(JsonNode v) {
    if (!v.isArray()) {
      throw new InvalidPolicyException("allowedAlgorithms must be an array of COSE algorithm numbers, e.g. [-7, -257]");
    }
    List<Integer> out = new ArrayList<>();
    for (JsonNode a : v) {
      if (!a.isInt()) {
        throw new InvalidPolicyException("allowedAlgorithms: " + a + " is not a COSE algorithm number");
      }
      out.add(a.asInt());
    }
    return out;
  }

  private static boolean bool(String name, JsonNode v) {
    if (!v.isBoolean()) {
      throw new InvalidPolicyException(name + " must be true or false, not " + v);
    }
    return v.asBoolean();
  }

  private static <E extends Enum<E>> E oneOf(String name, JsonNode v, Class<E> type) {
    List<String> names = new ArrayList<>();
    for (E c : type.getEnumConstants()) {
      names.add(c.name().toLowerCase(Locale.ROOT));
      if (v.isTextual() && c.name().toLowerCase(Locale.ROOT).equals(v.asText())) {
        return c;
      }
    }
    throw new InvalidPolicyException(name + " must be one of " + String.join(", ", names) + ", not " + v);
  }

  static String aaguid(String text) {
    try {
      String lower = text.toLowerCase(Locale.ROOT);
      if (lower.length() != 36 || !UUID.fromString(lower).toString().equals(lower)) {
        throw new IllegalArgumentException();
      }
      return lower;
    } catch (IllegalArgumentException e) {
      throw new InvalidPolicyException("'" + text + "' is not an AAGUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
    }
  }

  /** The policy as the policy file's JSON (what {@code GET /api/policy} answers). */
  public ObjectNode toJson() {
    ObjectNode o = JSON.createObjectNode();
    ObjectNode kr = o.putObject("keyRestrictions");
    kr.put("isEnforced", keyRestrictions.isEnforced);
    kr.put("enforcementType", keyRestrictions.enforcementType.json());
    ArrayNode list = kr.putArray("aaGuids");
    keyRestrictions.aaGuids.forEach(list::add);
    o.put("isAttestationEnforced", isAttestationEnforced);
    o.put("userVerification", userVerification.json());
    ArrayNode algs = o.putArray("allowedAlgorithms");
    allowedAlgorithms.forEach(algs::add);
    return o;
  }

  /** Readable names of COSE algorithms: "ES256 (-7), EdDSA (-8)". */
  static String names(List<Integer> algs) {
    List<String> out = new ArrayList<>();
    for (int a : algs) {
      out.add(algorithmName(a) + " (" + a + ")");
    }
    return String.join(", ", out);
  }

  /** The IANA COSE name of an algorithm number, or "algorithm N". */
  static String algorithmName(int alg) {
    return switch (alg) {
      case -7 -> "ES256";
      case -8 -> "EdDSA";
      case -35 -> "ES384";
      case -36 -> "ES512";
      case -257 -> "RS256";
      case -258 -> "RS384";
      case -259 -> "RS512";
      case -65535 -> "RS1";
      default -> "algorithm " + alg;
    };
  }
}
