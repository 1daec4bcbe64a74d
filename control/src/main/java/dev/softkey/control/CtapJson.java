package dev.softkey.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.cbor.CborNull;
import dev.softkey.ctap.model.Bytes;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CTAP messages as JSON, for the events stream: the command and status by their spec names, the
 * CBOR parameters decoded with the member names of CTAP 2.1 sections 6.1 to 6.8 for the main
 * commands (makeCredential, getAssertion, getNextAssertion, getInfo, clientPIN,
 * credentialManagement; other commands' keys stay numbers as strings). Byte strings are
 * base64url, nested integer keys (COSE keys) are strings. Never throws: CBOR that does not decode
 * is shown raw with the reason.
 */
public final class CtapJson {
  private static final Map<Integer, String> MAKE_CREDENTIAL_REQUEST =
      Map.of(1, "clientDataHash", 2, "rp", 3, "user", 4, "pubKeyCredParams", 5, "excludeList", 6, "extensions", 7, "options",
          8, "pinUvAuthParam", 9, "pinUvAuthProtocol", 10, "enterpriseAttestation");
  private static final Map<Integer, String> MAKE_CREDENTIAL_RESPONSE =
      Map.of(1, "fmt", 2, "authData", 3, "attStmt", 4, "epAtt", 5, "largeBlobKey", 6, "unsignedExtensionOutputs");
  private static final Map<Integer, String> GET_ASSERTION_REQUEST =
      Map.of(1, "rpId", 2, "clientDataHash", 3, "allowList", 4, "extensions", 5, "options", 6, "pinUvAuthParam", 7,
          "pinUvAuthProtocol");
  private static final Map<Integer, String> GET_ASSERTION_RESPONSE =
      Map.of(1, "credential", 2, "authData", 3, "signature", 4, "user", 5, "numberOfCredentials", 6, "userSelected", 7,
          "largeBlobKey", 8, "unsignedExtensionOutputs");
  private static final Map<Integer, String> GET_INFO_RESPONSE =
      Map.ofEntries(Map.entry(1, "versions"), Map.entry(2, "extensions"), Map.entry(3, "aaguid"), Map.entry(4, "options"),
          Map.entry(5, "maxMsgSize"), Map.entry(6, "pinUvAuthProtocols"), Map.entry(7, "maxCredentialCountInList"),
          Map.entry(8, "maxCredentialIdLength"), Map.entry(9, "transports"), Map.entry(10, "algorithms"),
          Map.entry(11, "maxSerializedLargeBlobArray"), Map.entry(12, "forcePINChange"), Map.entry(13, "minPINLength"),
          Map.entry(14, "firmwareVersion"), Map.entry(15, "maxCredBlobLength"), Map.entry(16, "maxRPIDsForSetMinPINLength"),
          Map.entry(17, "preferredPlatformUvAttempts"), Map.entry(18, "uvModality"), Map.entry(19, "certifications"),
          Map.entry(20, "remainingDiscoverableCredentials"), Map.entry(21, "vendorPrototypeConfigCommands"));
  private static final Map<Integer, String> CLIENT_PIN_REQUEST =
      Map.of(1, "pinUvAuthProtocol", 2, "subCommand", 3, "keyAgreement", 4, "pinUvAuthParam", 5, "newPinEnc", 6, "pinHashEnc",
          9, "permissions", 10, "rpId");
  private static final Map<Integer, String> CLIENT_PIN_RESPONSE =
      Map.of(1, "keyAgreement", 2, "pinUvAuthToken", 3, "pinRetries", 4, "powerCycleState", 5, "uvRetries");
  private static final Map<Integer, String> CREDENTIAL_MANAGEMENT_REQUEST =
      Map.of(1, "subCommand", 2, "subCommandParams", 3, "pinUvAuthProtocol", 4, "pinUvAuthParam");
  private static final Map<Integer, String> CREDENTIAL_MANAGEMENT_RESPONSE =
      Map.ofEntries(Map.entry(1, "existingResidentCredentialsCount"), Map.entry(2, "maxPossibleRemainingResidentCredentialsCount"),
          Map.entry(3, "rp"), Map.entry(4, "rpIDHash"), Map.entry(5, "totalRPs"), Map.entry(6, "user"), Map.entry(7, "credentialID"),
          Map.entry(8, "publicKey"), Map.entry(9, "totalCredentials"), Map.entry(10, "credProtect"), Map.entry(11, "largeBlobKey"),
          Map.entry(12, "thirdPartyPayment"));

  private CtapJson() {}

  /** A CTAP2 request (command byte and CBOR) as {@code {"command", "code", "params"}}. */
  public static ObjectNode request(Bytes request) {
    ObjectNode o = Json.object();
    if (request.isEmpty()) {
      o.put("error", "empty request");
      return o;
    }
    int code = request.get(0);
    Optional<CtapCommand> command = CtapCommand.fromCode(code);
    o.put("command", command.map(CtapJson::commandName).orElse("unknown"));
    o.put("code", code);
    if (request.length() > 1) {
      o.set("params", decode(request.slice(1, request.length()), requestNames(command)));
    }
    return o;
  }

  /** A CTAP2 response (status byte and CBOR) to {@code request} as {@code {"command", "status", "code", "body"}}. */
  public static ObjectNode response(Bytes request, Bytes response) {
    ObjectNode o = Json.object();
    Optional<CtapCommand> command = request.isEmpty() ? Optional.empty() : CtapCommand.fromCode(request.get(0));
    o.put("command", command.map(CtapJson::commandName).orElse("unknown"));
    if (response.isEmpty()) {
      o.put("error", "empty response");
      return o;
    }
    int status = response.get(0);
    o.put("status", CtapStatus.fromCode(status).map(Enum::name).orElse(String.format("0x%02X", status)));
    o.put("code", status);
    if (response.length() > 1) {
      o.set("body", decode(response.slice(1, response.length()), responseNames(command)));
    }
    return o;
  }

  /** The spec's name of a command: authenticatorMakeCredential, authenticatorGetAssertion, ... */
  public static String commandName(CtapCommand c) {
    return switch (c) {
      case MAKE_CREDENTIAL -> "authenticatorMakeCredential";
      case GET_ASSERTION -> "authenticatorGetAssertion";
      case GET_INFO -> "authenticatorGetInfo";
      case CLIENT_PIN -> "authenticatorClientPIN";
      case RESET -> "authenticatorReset";
      case GET_NEXT_ASSERTION -> "authenticatorGetNextAssertion";
      case BIO_ENROLLMENT -> "authenticatorBioEnrollment";
      case CREDENTIAL_MANAGEMENT -> "authenticatorCredentialManagement";
      case SELECTION -> "authenticatorSelection";
      case LARGE_BLOBS -> "authenticatorLargeBlobs";
      case CONFIG -> "authenticatorConfig";
      case BIO_ENROLLMENT_PREVIEW -> "authenticatorBioEnrollmentPreview";
      case CREDENTIAL_MANAGEMENT_PREVIEW -> "authenticatorCredentialManagementPreview";
    };
  }

  private static Map<Integer, String> requestNames(Optional<CtapCommand> c) {
    return c.map(cmd -> switch (cmd) {
      case MAKE_CREDENTIAL -> MAKE_CREDENTIAL_REQUEST;
      case GET_ASSERTION -> GET_ASSERTION_REQUEST;
      case CLIENT_PIN -> CLIENT_PIN_REQUEST;
      case CREDENTIAL_MANAGEMENT, CREDENTIAL_MANAGEMENT_PREVIEW -> CREDENTIAL_MANAGEMENT_REQUEST;
      default -> Map.<Integer, String>of();
    }).orElse(Map.of());
  }

  private static Map<Integer, String> responseNames(Optional<CtapCommand> c) {
    return c.map(cmd -> switch (cmd) {
      case MAKE_CREDENTIAL -> MAKE_CREDENTIAL_RESPONSE;
      case GET_ASSERTION, GET_NEXT_ASSERTION -> GET_ASSERTION_RESPONSE;
      case GET_INFO -> GET_INFO_RESPONSE;
      case CLIENT_PIN -> CLIENT_PIN_RESPONSE;
      case CREDENTIAL_MANAGEMENT, CREDENTIAL_MANAGEMENT_PREVIEW -> CREDENTIAL_MANAGEMENT_RESPONSE;
      default -> Map.<Integer, String>of();
    }).orElse(Map.of());
  }

  private static JsonNode decode(Bytes cbor, Map<Integer, String> names) {
    try {
      Object v = CborDecoder.decode(cbor.toArray());
      return toJson(v, names);
    } catch (RuntimeException e) {
      ObjectNode o = Json.object();
      o.put("cbor", cbor.base64Url());
      o.put("error", "not decodable: " + e.getClass().getSimpleName());
      return o;
    }
  }

  private static JsonNode toJson(Object v, Map<Integer, String> names) {
    if (v instanceof CborMap m) {
      ObjectNode o = Json.object();
      for (Map.Entry<Object, Object> e : m.asMap().entrySet()) {
        String key;
        if (e.getKey() instanceof Long l && names.containsKey(l.intValue()) && l >= 0) {
          key = names.get(l.intValue());
        } else {
          key = String.valueOf(e.getKey() instanceof Bytes b ? b.base64Url() : e.getKey());
        }
        o.set(key, toJson(e.getValue(), Map.of()));
      }
      return o;
    }
    if (v instanceof List<?> list) {
      ArrayNode a = Json.NODES.arrayNode();
      list.forEach(x -> a.add(toJson(x, Map.of())));
      return a;
    }
    if (v instanceof Bytes b) {
      return Json.NODES.textNode(b.base64Url());
    }
    if (v instanceof Long l) {
      return Json.NODES.numberNode(l);
    }
    if (v instanceof Double d) {
      return Json.NODES.numberNode(d);
    }
    if (v instanceof Boolean b) {
      return Json.NODES.booleanNode(b);
    }
    if (v instanceof String s) {
      return Json.NODES.textNode(s);
    }
    if (v instanceof CborNull) {
      return Json.NODES.nullNode();
    }
    return Json.NODES.textNode(String.valueOf(v));
  }
}
