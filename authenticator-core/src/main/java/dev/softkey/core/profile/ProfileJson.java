package dev.softkey.core.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.core.profile.Profile.Attestation;
import dev.softkey.core.profile.Profile.Credentials;
import dev.softkey.core.profile.Profile.GetInfo;
import dev.softkey.core.profile.Profile.Identity;
import dev.softkey.core.profile.Profile.Limits;
import dev.softkey.core.profile.Profile.Management;
import dev.softkey.core.profile.Profile.Options;
import dev.softkey.core.profile.Profile.PinPolicy;
import dev.softkey.core.profile.Profile.UsbIdentity;
import dev.softkey.core.profile.Quirks.ChannelAllocation;
import dev.softkey.core.profile.Quirks.GetInfoMember;
import dev.softkey.core.profile.Quirks.ResetWindow;
import dev.softkey.core.profile.Quirks.ResetWindows;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The profile file format (docs/profile-schema.md) both ways, over Jackson's tree model. Reading
 * is by hand rather than by data binding so that every problem names its field and file: a missing
 * field, a value of the wrong JSON type, a value outside an enumeration, and an unknown field (a
 * typo must not load silently with a default). All problems of a file are reported together.
 */
final class ProfileJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /** The name of the reset window for transports not named in {@code quirks.resetWindow}. */
  static final String RESET_WINDOW_DEFAULT = "default";

  /** CTAP 2.1 section 6.5.1: the minimum PIN length when the authenticator says nothing else. */
  static final int DEFAULT_MIN_PIN_LENGTH = 4;

  private ProfileJson() {}

  // ------------------------------------------------------------------------------------ reading

  /**
   * The profile in {@code root}; not yet validated.
   *
   * @param name the file (or resource) name the problems are reported against
   * @throws InvalidProfileException naming every missing, mistyped, unknown or misspelled field
   */
  static Profile read(JsonNode root, String name) {
    List<String> problems = new ArrayList<>();
    if (!root.isObject()) {
      problems.add("the file is not a JSON object");
      throw new InvalidProfileException("profile " + name, problems);
    }
    Obj top = new Obj("", root, problems);

    Obj id = top.object("identity", true);
    String profileId = id.text("id");
    String description = id.text("description");
    String source = id.text("source");
    UUID aaguid = id.uuid("aaguid");
    String vendor = id.optional("vendor").map(Value::text).orElse(Identity.DEFAULT_VENDOR);
    Optional<String> firmware = id.optional("firmware").map(Value::text);
    id.done();

    Obj gi = top.object("getInfo", true);
    List<CtapVersion> versions = gi.list("versions", e -> e.oneOf(CtapVersion.values()));
    List<CoseAlgorithm> algorithms = gi.list("algorithms", Value::algorithm);
    List<Integer> protocols = gi.list("pinUvAuthProtocols", Value::integer);
    List<Transport> transports = gi.list("transports", e -> e.oneOf(Transport.values()));
    OptionalInt firmwareVersion = gi.optional("firmwareVersion").map(v -> OptionalInt.of(v.integer())).orElse(OptionalInt.empty());
    Obj opt = gi.object("options", false);
    boolean rk = opt.bool("rk", false);
    boolean builtInUv = opt.bool("builtInUv", false);
    boolean makeCredUvNotRqd = opt.bool("makeCredUvNotRqd", false);
    opt.done();
    Optional<Map<String, Integer>> certifications = gi.optional("certifications").filter(Value::isObject).map(Value::integers);
    gi.done();

    Obj lim = top.object("limits", true);
    int maxMsgSize = lim.integer("maxMsgSize");
    int maxCredentialCountInList = lim.integer("maxCredentialCountInList");
    int maxCredentialIdLength = lim.integer("maxCredentialIdLength");
    int maxResidentCredentials = lim.integer("maxResidentCredentials");
    lim.done();

    Obj pin = top.object("pinPolicy", false);
    int minPinLength = pin.optional("minPinLength").map(Value::integer).orElse(DEFAULT_MIN_PIN_LENGTH);
    pin.done();

    Obj att = top.object("attestation", true);
    AttestationFormat format = att.required("format").map(v -> v.oneOf(AttestationFormat.values())).orElse(null);
    att.done();

    Obj cred = top.object("credentials", true);
    SignCounter signCounter = cred.required("signCounter").map(v -> v.oneOf(SignCounter.values())).orElse(null);
    boolean backupEligible = cred.bool("backupEligible", false);
    boolean backupState = cred.bool("backupState", false);
    cred.done();

    // A CTAP 2.1 (or preview) model with discoverable credentials has credential management unless it says otherwise.
    boolean credMgmtDefault =
        rk && versions.stream().anyMatch(v -> v == CtapVersion.FIDO_2_1 || v == CtapVersion.FIDO_2_1_PRE);
    Management management = management(top.object("management", false), credMgmtDefault);
    Profile.ExtensionSupport extensions = extensions(top.object("extensions", false));

    Quirks quirks = quirks(top.object("quirks", false));

    Obj usb = top.object("usb", true);
    int vendorId = usb.integer("vendorId");
    int productId = usb.integer("productId");
    String manufacturer = usb.text("manufacturer");
    String product = usb.text("product");
    List<Integer> deviceVersion = usb.list("deviceVersion", Value::integer);
    int capabilities = usb.integer("capabilities");
    usb.done();

    Profile.Metadata metadata = metadata(top.object("metadata", false));

    top.done();
    if (!problems.isEmpty()) {
      throw new InvalidProfileException("profile " + name, problems);
    }
    return new Profile(
        new Identity(profileId, description, source, aaguid, vendor == null ? Identity.DEFAULT_VENDOR : vendor, firmware),
        new GetInfo(versions, algorithms, protocols, transports, firmwareVersion, new Options(rk, builtInUv, makeCredUvNotRqd), certifications),
        new Limits(maxMsgSize, maxCredentialCountInList, maxCredentialIdLength, maxResidentCredentials),
        new PinPolicy(minPinLength),
        new Attestation(format),
        new Credentials(signCounter, backupEligible, backupState),
        management,
        extensions,
        quirks,
        new UsbIdentity(vendorId, productId, manufacturer, product, deviceVersion, capabilities),
        metadata);
  }

  private static Profile.Metadata metadata(Obj m) {
    Profile.Metadata d = Profile.Metadata.DEFAULT;
    Optional<String> description = m.optional("description").map(Value::text);
    java.util.OptionalInt version =
        m.optional("authenticatorVersion").map(v -> java.util.OptionalInt.of(v.integer())).orElse(java.util.OptionalInt.empty());
    List<String> keyProtection = m.optional("keyProtection").map(v -> v.list(Value::text)).orElse(d.keyProtection());
    List<String> matcherProtection = m.optional("matcherProtection").map(v -> v.list(Value::text)).orElse(d.matcherProtection());
    List<String> attachmentHint = m.optional("attachmentHint").map(v -> v.list(Value::text)).orElse(d.attachmentHint());
    java.util.OptionalInt cryptoStrength =
        m.optional("cryptoStrength").map(v -> java.util.OptionalInt.of(v.integer())).orElse(java.util.OptionalInt.empty());
    boolean published = m.bool("published", d.published());
    m.done();
    if (java.util.stream.Stream.of(keyProtection, matcherProtection, attachmentHint).flatMap(List::stream).anyMatch(java.util.Objects::isNull)) {
      return d; // the problems are recorded; the profile will not be built
    }
    return new Profile.Metadata(description, version, keyProtection, matcherProtection, attachmentHint, cryptoStrength, published);
  }

  private static Management management(Obj m, boolean credMgmtDefault) {
    boolean credentialManagement = m.bool("credentialManagement", credMgmtDefault);
    Optional<Profile.Config> config =
        m.optional("config").filter(Value::isObject).map(v -> {
          Obj c = m.object("config", false);
          Profile.Config r =
              new Profile.Config(
                  c.bool("alwaysUv", false),
                  c.bool("setMinPINLength", true),
                  c.optional("maxRPIDsForSetMinPINLength").map(Value::integer).orElse(0),
                  c.bool("uvAcfg", false));
          c.done();
          return r;
        });
    Optional<Profile.EnterpriseAttestation> ea =
        m.optional("enterpriseAttestation").filter(Value::isObject).map(v -> {
          Obj e = m.object("enterpriseAttestation", false);
          List<String> rpIds = e.optional("vendorFacilitatedRpIds").map(x -> x.list(Value::text)).orElse(List.of());
          Profile.EnterpriseAttestation r = new Profile.EnterpriseAttestation(
              rpIds.stream().anyMatch(java.util.Objects::isNull) ? List.of() : rpIds, e.bool("platformManaged", false));
          e.done();
          return r;
        });
    Optional<Profile.Fingerprint> fingerprint =
        m.optional("fingerprint").filter(Value::isObject).map(v -> {
          Obj f = m.object("fingerprint", false);
          Profile.Fingerprint d = Profile.Fingerprint.DEFAULT;
          FingerprintKind kind = f.optional("kind").map(x -> x.oneOf(FingerprintKind.values())).orElse(d.kind());
          Profile.Fingerprint r =
              new Profile.Fingerprint(
                  kind == null ? d.kind() : kind,
                  f.optional("samplesForEnrollment").map(Value::integer).orElse(d.samplesForEnrollment()),
                  f.optional("maxTemplateFriendlyName").map(Value::integer).orElse(d.maxTemplateFriendlyName()),
                  f.optional("maxTemplates").map(Value::integer).orElse(d.maxTemplates()),
                  f.optional("preferredPlatformUvAttempts").map(Value::integer).orElse(d.preferredPlatformUvAttempts()),
                  f.optional("uvModality").map(Value::integer).orElse(d.uvModality()),
                  f.bool("uvBioEnroll", d.uvBioEnroll()));
          f.done();
          return r;
        });
    boolean bioEnrollment = m.bool("bioEnrollment", true);
    m.done();
    return new Management(credentialManagement, config, ea, fingerprint, bioEnrollment);
  }

  private static Profile.ExtensionSupport extensions(Obj e) {
    List<String> ids = e.optional("identifiers").map(v -> v.list(Value::text)).orElse(List.of());
    int credProtectDefault = e.optional("credProtectDefault").map(Value::integer).orElse(1);
    java.util.OptionalInt maxCredBlobLength =
        e.optional("maxCredBlobLength").map(v -> java.util.OptionalInt.of(v.integer())).orElse(java.util.OptionalInt.empty());
    Optional<Profile.LargeBlobs> largeBlobs =
        e.optional("largeBlobs").filter(Value::isObject).map(v -> {
          Obj b = e.object("largeBlobs", false);
          Profile.LargeBlobs r = new Profile.LargeBlobs(b.integer("maxSerializedLargeBlobArray"));
          b.done();
          return r;
        });
    e.done();
    return new Profile.ExtensionSupport(
        ids.stream().anyMatch(java.util.Objects::isNull) ? List.of() : ids, credProtectDefault, maxCredBlobLength, largeBlobs);
  }

  private static Quirks quirks(Obj q) {
    Quirks d = Quirks.DEFAULT;
    int problemsBefore = q.problems.size();
    Obj rw = q.object("resetWindow", false);
    ResetWindow otherwise = rw.optional(RESET_WINDOW_DEFAULT).map(Value::resetWindow).orElse(d.resetWindow().otherwise());
    Map<Transport, ResetWindow> byTransport = new EnumMap<>(Transport.class);
    for (Transport t : Transport.values()) {
      rw.optional(t.jsonName()).map(Value::resetWindow).ifPresent(w -> byTransport.put(t, w));
    }
    rw.done();
    ChannelAllocation channels =
        q.optional("ctaphidChannelAllocation").map(v -> v.oneOf(ChannelAllocation.values())).orElse(d.ctaphidChannelAllocation());
    Optional<List<GetInfoMember>> omitList = q.optional("getInfoOmits").map(v -> v.list(e -> e.oneOf(GetInfoMember.values())));
    Set<GetInfoMember> omits = omitList.<Set<GetInfoMember>>map(LinkedHashSet::new).orElse(d.getInfoOmits());
    if (omitList.isPresent() && !omitList.get().contains(null) && omits.size() != omitList.get().size()) {
      q.problems.add("field \"quirks.getInfoOmits\" must not repeat a member");
    }
    boolean noCredentialsAfterTouch = q.bool("noCredentialsAfterTouch", d.noCredentialsAfterTouch());
    Set<String> omitsOptions = textSet(q, "getInfoOmitsOptions", d.getInfoOmitsOptions());
    Set<String> falseOptions = textSet(q, "getInfoFalseOptions", d.getInfoFalseOptions());
    Optional<List<GetInfoMember>> addList = q.optional("getInfoAdds").map(v -> v.list(e -> e.oneOf(GetInfoMember.values())));
    Set<GetInfoMember> adds = addList.<Set<GetInfoMember>>map(LinkedHashSet::new).orElse(d.getInfoAdds());
    if (addList.isPresent() && !addList.get().contains(null) && adds.size() != addList.get().size()) {
      q.problems.add("field \"quirks.getInfoAdds\" must not repeat a member");
    }
    boolean previewAlwaysTrue = q.bool("userVerificationMgmtPreviewAlwaysTrue", d.userVerificationMgmtPreviewAlwaysTrue());
    boolean credMgmtOnBothCommands = q.bool("credMgmtOnBothCommands", d.credMgmtOnBothCommands());
    boolean keepUserIcon = q.bool("keepUserIcon", d.keepUserIcon());
    q.done();
    if (q.problems.size() > problemsBefore) {
      return d; // the problems are recorded; the profile will not be built
    }
    return new Quirks(
        new ResetWindows(otherwise, byTransport), channels, omits, noCredentialsAfterTouch, omitsOptions, falseOptions, adds, previewAlwaysTrue,
        credMgmtOnBothCommands, keepUserIcon);
  }

  /** A list of strings without repeats, as a set in the file's order. */
  private static Set<String> textSet(Obj q, String field, Set<String> dflt) {
    Optional<List<String>> list = q.optional(field).map(v -> v.list(Value::text));
    if (list.isEmpty()) {
      return dflt;
    }
    Set<String> out = new LinkedHashSet<>(list.get());
    if (!list.get().contains(null) && out.size() != list.get().size()) {
      q.problems.add("field \"quirks." + field + "\" must not repeat an option");
    }
    out.remove(null);
    return out;
  }

  /** One JSON object at {@code path}, remembering which of its fields were asked for. */
  private static final class Obj {
    private final String path;
    private final JsonNode node; // an object, or null when absent or of the wrong type
    private final List<String> problems;
    private final Set<String> known = new LinkedHashSet<>();

    Obj(String path, JsonNode node, List<String> problems) {
      this.path = path;
      this.node = node;
      this.problems = problems;
    }

    private String pathOf(String field) {
      return path.isEmpty() ? field : path + "." + field;
    }

    Optional<Value> optional(String field) {
      known.add(field);
      if (node == null) {
        return Optional.empty();
      }
      JsonNode v = node.get(field);
      return v == null ? Optional.empty() : Optional.of(new Value(pathOf(field), v, problems));
    }

    Optional<Value> required(String field) {
      Optional<Value> v = optional(field);
      if (v.isEmpty() && node != null) {
        problems.add("field \"" + pathOf(field) + "\" is missing");
      }
      return v;
    }

    /** A nested object; when optional and absent, an empty one whose fields take their defaults. */
    Obj object(String field, boolean mandatory) {
      Optional<Value> v = mandatory ? required(field) : optional(field);
      JsonNode n = v.filter(Value::isObject).map(Value::node).orElse(null);
      if (v.isEmpty() && !mandatory && node != null) {
        n = NODES.objectNode();
      }
      return new Obj(pathOf(field), n, problems);
    }

    String text(String field) {
      return required(field).map(Value::text).orElse(null);
    }

    int integer(String field) {
      return required(field).map(Value::integer).orElse(0);
    }

    UUID uuid(String field) {
      return required(field).map(Value::uuid).orElse(null);
    }

    boolean bool(String field, boolean dflt) {
      return optional(field).map(Value::bool).orElse(dflt);
    }

    <T> List<T> list(String field, Function<Value, T> element) {
      return required(field).map(v -> v.list(element)).orElse(List.of());
    }

    /** Reports the fields nobody asked for. */
    void done() {
      if (node == null) {
        return;
      }
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!known.contains(f)) {
          problems.add(
              "unknown field \"" + pathOf(f) + "\" ("
                  + (path.isEmpty() ? "a profile has " : path + " has ")
                  + String.join(", ", known) + ")");
        }
      }
    }
  }

  /** One JSON value at {@code path}; the conversions record a problem and return null (or 0) when it does not fit. */
  private record Value(String path, JsonNode node, List<String> problems) {
    private Object wrong(String what) {
      problems.add("field \"" + path + "\": " + shown(node) + " is not " + what);
      return null;
    }

    boolean isObject() {
      if (!node.isObject()) {
        wrong("an object");
        return false;
      }
      return true;
    }

    String text() {
      return node.isTextual() ? node.textValue() : (String) wrong("a string");
    }

    int integer() {
      if (node.isIntegralNumber() && node.canConvertToInt()) {
        return node.intValue();
      }
      wrong(node.isIntegralNumber() ? "an integer of 32 bits" : "an integer");
      return 0;
    }

    boolean bool() {
      if (node.isBoolean()) {
        return node.booleanValue();
      }
      wrong("true or false");
      return false;
    }

    UUID uuid() {
      if (node.isTextual() && UUID_TEXT.matcher(node.textValue()).matches()) {
        return UUID.fromString(node.textValue());
      }
      return (UUID) wrong("a UUID (8-4-4-4-12 hex digits)");
    }

    <E extends Enum<E> & JsonName> E oneOf(E[] values) {
      Optional<E> found = node.isTextual() ? JsonName.find(values, node.textValue()) : Optional.empty();
      if (found.isPresent()) {
        return found.get();
      }
      List<String> names = new ArrayList<>();
      for (E e : values) {
        names.add(e.jsonName());
      }
      @SuppressWarnings("unchecked")
      E none = (E) wrong("one of " + String.join(", ", names));
      return none;
    }

    CoseAlgorithm algorithm() {
      if (node.isTextual()) {
        for (CoseAlgorithm a : CoseAlgorithm.values()) {
          if (a.jsonName().equals(node.textValue())) {
            return a;
          }
        }
      }
      return (CoseAlgorithm)
          wrong("one of " + String.join(", ", Arrays.stream(CoseAlgorithm.values()).map(CoseAlgorithm::jsonName).toList()));
    }

    ResetWindow resetWindow() {
      Optional<ResetWindow> w = node.isTextual() ? ResetWindow.fromJsonName(node.textValue()) : Optional.empty();
      return w.orElseGet(() -> (ResetWindow) wrong("\"any-time\", \"disabled\" or a window such as \"10s\" or \"2500ms\""));
    }

    /** An object of integers, in the file's order. */
    Map<String, Integer> integers() {
      Map<String, Integer> out = new java.util.LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        int v = new Value(path + "." + e.getKey(), e.getValue(), problems).integer();
        out.put(e.getKey(), v);
      }
      return out;
    }

    <T> List<T> list(Function<Value, T> element) {
      if (!node.isArray()) {
        wrong("an array");
        return List.of();
      }
      List<T> out = new ArrayList<>();
      for (int i = 0; i < node.size(); i++) {
        out.add(element.apply(new Value(path + "[" + i + "]", node.get(i), problems)));
      }
      return out;
    }

    /** The value as JSON, short: profiles hold no secrets, but a long string is no help in a message. */
    private static String shown(JsonNode n) {
      String s = n.toString();
      return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
  }

  // ------------------------------------------------------------------------------------ writing

  /** {@code p} as a profile file: every field, defaults included, in the documented order. */
  static ObjectNode write(Profile p) {
    ObjectNode root = NODES.objectNode();
    ObjectNode id = root.putObject("identity");
    id.put("id", p.identity().id());
    id.put("description", p.identity().description());
    id.put("source", p.identity().source());
    id.put("aaguid", p.identity().aaguid().toString());
    id.put("vendor", p.identity().vendor());
    p.identity().firmware().ifPresent(f -> id.put("firmware", f));

    GetInfo g = p.getInfo();
    ObjectNode gi = root.putObject("getInfo");
    strings(gi.putArray("versions"), g.versions(), CtapVersion::jsonName);
    strings(gi.putArray("algorithms"), g.algorithms(), CoseAlgorithm::jsonName);
    ArrayNode protocols = gi.putArray("pinUvAuthProtocols");
    g.pinUvAuthProtocols().forEach(protocols::add);
    strings(gi.putArray("transports"), g.transports(), Transport::jsonName);
    g.firmwareVersion().ifPresent(v -> gi.put("firmwareVersion", v));
    ObjectNode options = gi.putObject("options");
    options.put("rk", g.options().rk());
    options.put("builtInUv", g.options().builtInUv());
    options.put("makeCredUvNotRqd", g.options().makeCredUvNotRqd());
    g.certifications().ifPresent(c -> {
      ObjectNode o = gi.putObject("certifications");
      c.forEach(o::put);
    });

    ObjectNode lim = root.putObject("limits");
    lim.put("maxMsgSize", p.limits().maxMsgSize());
    lim.put("maxCredentialCountInList", p.limits().maxCredentialCountInList());
    lim.put("maxCredentialIdLength", p.limits().maxCredentialIdLength());
    lim.put("maxResidentCredentials", p.limits().maxResidentCredentials());

    root.putObject("pinPolicy").put("minPinLength", p.pinPolicy().minPinLength());
    root.putObject("attestation").put("format", p.attestation().format().jsonName());

    ObjectNode cred = root.putObject("credentials");
    cred.put("signCounter", p.credentials().signCounter().jsonName());
    cred.put("backupEligible", p.credentials().backupEligible());
    cred.put("backupState", p.credentials().backupState());

    Management m = p.management();
    ObjectNode mg = root.putObject("management");
    mg.put("credentialManagement", m.credentialManagement());
    m.config().ifPresent(c -> {
      ObjectNode o = mg.putObject("config");
      o.put("alwaysUv", c.alwaysUv());
      o.put("setMinPINLength", c.setMinPinLength());
      o.put("maxRPIDsForSetMinPINLength", c.maxRpIdsForSetMinPinLength());
      o.put("uvAcfg", c.uvAcfg());
    });
    m.enterpriseAttestation().ifPresent(e -> {
      ObjectNode o = mg.putObject("enterpriseAttestation");
      strings(o.putArray("vendorFacilitatedRpIds"), e.vendorFacilitatedRpIds(), x -> x);
      o.put("platformManaged", e.platformManaged());
    });
    m.fingerprint().ifPresent(f -> {
      ObjectNode o = mg.putObject("fingerprint");
      o.put("kind", f.kind().jsonName());
      o.put("samplesForEnrollment", f.samplesForEnrollment());
      o.put("maxTemplateFriendlyName", f.maxTemplateFriendlyName());
      o.put("maxTemplates", f.maxTemplates());
      o.put("preferredPlatformUvAttempts", f.preferredPlatformUvAttempts());
      o.put("uvModality", f.uvModality());
      o.put("uvBioEnroll", f.uvBioEnroll());
    });
    mg.put("bioEnrollment", m.bioEnrollment());

    Profile.ExtensionSupport x = p.extensions();
    ObjectNode ex = root.putObject("extensions");
    strings(ex.putArray("identifiers"), x.identifiers(), s -> s);
    ex.put("credProtectDefault", x.credProtectDefault());
    x.maxCredBlobLength().ifPresent(n -> ex.put("maxCredBlobLength", n));
    x.largeBlobs().ifPresent(b -> ex.putObject("largeBlobs").put("maxSerializedLargeBlobArray", b.maxSerializedLargeBlobArray()));

    Quirks q = p.quirks();
    ObjectNode quirks = root.putObject("quirks");
    ObjectNode rw = quirks.putObject("resetWindow");
    rw.put(RESET_WINDOW_DEFAULT, q.resetWindow().otherwise().jsonName());
    for (Transport t : Transport.values()) {
      ResetWindow w = q.resetWindow().byTransport().get(t);
      if (w != null) {
        rw.put(t.jsonName(), w.jsonName());
      }
    }
    quirks.put("ctaphidChannelAllocation", q.ctaphidChannelAllocation().jsonName());
    Set<GetInfoMember> omits = q.getInfoOmits().isEmpty() ? Set.of() : EnumSet.copyOf(q.getInfoOmits());
    strings(quirks.putArray("getInfoOmits"), List.copyOf(omits), GetInfoMember::jsonName);
    quirks.put("noCredentialsAfterTouch", q.noCredentialsAfterTouch());
    strings(quirks.putArray("getInfoOmitsOptions"), List.copyOf(new java.util.TreeSet<>(q.getInfoOmitsOptions())), s -> s);
    strings(quirks.putArray("getInfoFalseOptions"), List.copyOf(new java.util.TreeSet<>(q.getInfoFalseOptions())), s -> s);
    Set<GetInfoMember> adds = q.getInfoAdds().isEmpty() ? Set.of() : EnumSet.copyOf(q.getInfoAdds());
    strings(quirks.putArray("getInfoAdds"), List.copyOf(adds), GetInfoMember::jsonName);
    quirks.put("userVerificationMgmtPreviewAlwaysTrue", q.userVerificationMgmtPreviewAlwaysTrue());
    quirks.put("credMgmtOnBothCommands", q.credMgmtOnBothCommands());
    quirks.put("keepUserIcon", q.keepUserIcon());

    UsbIdentity u = p.usb();
    ObjectNode usb = root.putObject("usb");
    usb.put("vendorId", u.vendorId());
    usb.put("productId", u.productId());
    usb.put("manufacturer", u.manufacturer());
    usb.put("product", u.product());
    ArrayNode dv = usb.putArray("deviceVersion");
    u.deviceVersion().forEach(dv::add);
    usb.put("capabilities", u.capabilities());

    Profile.Metadata md = p.metadata();
    ObjectNode meta = root.putObject("metadata");
    md.description().ifPresent(v -> meta.put("description", v));
    md.authenticatorVersion().ifPresent(v -> meta.put("authenticatorVersion", v));
    strings(meta.putArray("keyProtection"), md.keyProtection(), s -> s);
    strings(meta.putArray("matcherProtection"), md.matcherProtection(), s -> s);
    strings(meta.putArray("attachmentHint"), md.attachmentHint(), s -> s);
    md.cryptoStrength().ifPresent(v -> meta.put("cryptoStrength", v));
    meta.put("published", md.published());
    return root;
  }

  private static <T> void strings(ArrayNode a, List<T> values, Function<T, String> name) {
    for (T v : values) {
      a.add(name.apply(v));
    }
  }
}
