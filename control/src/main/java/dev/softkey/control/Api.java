package dev.softkey.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.core.profile.CtapVersion;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.ctap.model.Bytes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The routes and the authenticators they steer: WebDriver's virtual-authenticator commands
 * (WebAuthn L3 section 11.3 to 11.10, same member names) and softkey's extensions. An unknown
 * authenticatorId or credentialId is "invalid argument", as WebDriver says.
 */
final class Api implements AutoCloseable {
  static final String B = ControlServer.BASE_PATH;
  static final String A = B + "/webauthn/authenticator/{authenticatorId}";
  static final Set<String> TRANSPORTS = Set.of("usb", "nfc", "ble", "smart-card", "hybrid", "internal");

  /** One authenticator behind the API. */
  record Entry(String id, Hosted hosted, EventHub events, AutoCloseable tapSubscription) {}

  private final AuthenticatorHost host;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final Router router = new Router();

  Api(AuthenticatorHost host) {
    this.host = host;
    routes();
  }

  Router router() {
    return router;
  }

  private void routes() {
    router.add("GET", B + "/openapi.json", "This document: every route of the API (OpenAPI 3.0)",
        r -> new ApiResponse.Text("application/json; charset=utf-8", OpenApi.document(router)));
    router.add("POST", B + "/webauthn/authenticator",
        "Add Virtual Authenticator (WebDriver); value = authenticatorId",
        members("protocol", "string", "transport", "string", "hasResidentKey", "boolean", "hasUserVerification", "boolean",
            "isUserConsenting", "boolean", "isUserVerified", "boolean", "extensions", "array", "defaultBackupEligibility",
            "boolean", "defaultBackupState", "boolean", "softkey:profile", "string", "softkey:seed", "integer",
            "softkey:serve", "string"),
        this::addAuthenticator);
    router.add("DELETE", A, "Remove Virtual Authenticator (WebDriver)", this::removeAuthenticator);
    router.add("GET", B + "/authenticators", "The authenticators: authenticatorId, profile, aaguid, transport, endpoint",
        r -> ApiResponse.value(list()));
    router.add("POST", A + "/power-cycle", "Unplug and plug back: tokens and pending state are lost, credentials stay", r -> {
      entry(r).hosted().device().powerCycle();
      return ApiResponse.empty();
    });
    router.add("POST", A + "/webauthn/create",
        "navigator.credentials.create() as a browser runs it; value = RegistrationResponseJSON",
        members("options", "object", "origin", "string", "pin", "string"),
        r -> ApiResponse.value(Ceremonies.create(entry(r).hosted(), r.body())));
    router.add("POST", A + "/webauthn/get",
        "navigator.credentials.get() as a browser runs it; value = AuthenticationResponseJSON",
        members("options", "object", "origin", "string", "pin", "string"),
        r -> ApiResponse.value(Ceremonies.get(entry(r).hosted(), r.body())));
    router.add("GET", A + "/attestation/root", "softkey's attestation root for this authenticator and its CRLs (PEM)",
        this::attestationRoot);
    router.add("GET", A + "/events",
        "Server-Sent Events: credentialAdded, credentialAsserted, credentialDeleted, credentialUpdated, ctapRequest, ctapResponse",
        this::events);
    Steering.routes(router, this);
  }

  static Map<String, String> members(String... nameType) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < nameType.length; i += 2) {
      m.put(nameType[i], nameType[i + 1]);
    }
    return m;
  }

  // ---- authenticators

  private ApiResponse addAuthenticator(ApiRequest r) {
    ObjectNode b = r.body();
    String profileId = Json.optText(b, "softkey:profile").orElse(Profiles.DEFAULT_ID);
    Profile profile = Profiles.builtIn(profileId)
        .orElseThrow(() -> ApiException.invalidArgument("softkey:profile " + profileId + " is not a built-in profile"));
    String protocol = Json.optText(b, "protocol").orElse(profile.getInfo().supports(CtapVersion.FIDO_2_1) ? "ctap2_1" : "ctap2");
    checkProtocol(protocol, profile);
    String transport = Json.optText(b, "transport").orElse("usb");
    if (!TRANSPORTS.contains(transport)) {
      throw ApiException.invalidArgument("transport must be one of usb, nfc, ble, smart-card, hybrid, internal");
    }
    List<String> extensions = new ArrayList<>();
    JsonNode ext = b.get("extensions");
    if (ext != null && !ext.isNull()) {
      if (!ext.isArray()) {
        throw ApiException.invalidArgument("extensions must be an array of strings");
      }
      for (JsonNode e : ext) {
        if (!e.isTextual()) {
          throw ApiException.invalidArgument("extensions must be an array of strings");
        }
        extensions.add(e.textValue());
      }
    }
    OptionalLong seed = Json.optLong(b, "softkey:seed").map(OptionalLong::of).orElse(OptionalLong.empty());
    AuthenticatorSpec spec = new AuthenticatorSpec(profileId, transport, Json.bool(b, "hasResidentKey", false),
        Json.bool(b, "hasUserVerification", false), Json.bool(b, "isUserConsenting", true), Json.bool(b, "isUserVerified", false),
        extensions, Json.bool(b, "defaultBackupEligibility", false), Json.bool(b, "defaultBackupState", false), seed,
        Json.optText(b, "softkey:serve"));
    Hosted h;
    try {
      h = host.start(spec);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidArgument(String.valueOf(e.getMessage()));
    } catch (Exception e) {
      throw ApiException.unableToCreate("the authenticator could not be started: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
    return ApiResponse.value(register(h));
  }

  private static void checkProtocol(String protocol, Profile p) {
    boolean ok = switch (protocol) {
      case "ctap2" -> p.getInfo().supports(CtapVersion.FIDO_2_0);
      case "ctap2_1" -> p.getInfo().supports(CtapVersion.FIDO_2_1);
      case "ctap1/u2f" -> p.getInfo().supports(CtapVersion.U2F_V2) && !p.getInfo().supports(CtapVersion.FIDO_2_0);
      default -> throw ApiException.invalidArgument("protocol must be ctap1/u2f, ctap2 or ctap2_1");
    };
    if (!ok) {
      throw ApiException.invalidArgument("profile " + p.id() + " does not speak " + protocol);
    }
  }

  synchronized String register(Hosted h) {
    String id = "authenticator-" + ids.incrementAndGet();
    EventHub hub = new EventHub();
    AutoCloseable tap = h.tap().subscribe(x -> hub.publish(
        x.direction() == CtapTap.Direction.REQUEST ? "ctapRequest" : "ctapResponse", () -> Events.ctap(x)));
    AutoCloseable credentials = h.engine().control().subscribe(e -> hub.publish(Steering.eventName(e), () -> Steering.eventJson(e)));
    AutoCloseable sub = () -> {
      try (tap; credentials) {
        // both listeners leave
      }
    };
    entries.put(id, new Entry(id, h, hub, sub));
    return id;
  }

  private ApiResponse removeAuthenticator(ApiRequest r) {
    Entry e;
    synchronized (this) {
      e = entries.remove(r.param("authenticatorId"));
    }
    if (e == null) {
      throw unknownAuthenticator(r);
    }
    close(e);
    return ApiResponse.empty();
  }

  private synchronized ArrayNode list() {
    ArrayNode a = Json.NODES.arrayNode();
    for (Entry e : entries.values()) {
      ObjectNode o = a.addObject();
      Profile p = e.hosted().device().profile();
      o.put("authenticatorId", e.id());
      o.put("profile", p.id());
      o.put("aaguid", p.identity().aaguid().toString());
      o.put("transport", e.hosted().transport());
      if (e.hosted().endpoint().isPresent()) {
        o.put("endpoint", e.hosted().endpoint().get());
      } else {
        o.putNull("endpoint");
      }
    }
    return a;
  }

  Entry entry(ApiRequest r) {
    Entry e;
    synchronized (this) {
      e = entries.get(r.param("authenticatorId"));
    }
    if (e == null) {
      throw unknownAuthenticator(r);
    }
    return e;
  }

  private static ApiException unknownAuthenticator(ApiRequest r) {
    return ApiException.invalidArgument("no authenticator " + r.param("authenticatorId"));
  }

  // ---- attestation, events

  private ApiResponse attestationRoot(ApiRequest r) {
    Optional<AttestationCa> ca = entry(r).hosted().attestationCa();
    if (ca.isEmpty()) {
      throw new ApiException(ApiException.UNSUPPORTED_OPERATION, 500, "this authenticator has no softkey attestation CA");
    }
    StringBuilder pem = new StringBuilder(ca.get().rootCertificatePem());
    for (Bytes crl : ca.get().crls()) {
      pem.append(AttestationCa.crlToPem(crl));
    }
    return new ApiResponse.Text("application/x-pem-file", pem.toString());
  }

  private ApiResponse events(ApiRequest r) {
    EventHub hub = entry(r).events();
    BlockingQueue<EventHub.Event> q = hub.subscribe();
    return new ApiResponse.Stream("text/event-stream; charset=utf-8", out -> hub.stream(q, out));
  }

  private static void close(Entry e) {
    e.events().close();
    try {
      e.tapSubscription().close();
    } catch (Exception ignored) {
      // a list removal does not fail
    }
    try {
      e.hosted().resources().close();
    } catch (Exception ex) {
      System.getLogger(Api.class.getName()).log(System.Logger.Level.WARNING,
          "closing " + e.id() + " failed: " + ex.getClass().getSimpleName());
    }
  }

  @Override
  public void close() {
    List<Entry> all;
    synchronized (this) {
      all = new ArrayList<>(entries.values());
      entries.clear();
    }
    all.forEach(Api::close);
  }
}
