package dev.softkey.load.gatling;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Where an RP's four passkey endpoints are and how their JSON looks: the URLs of register/options,
 * register/verify, signin/options and signin/verify, the origin the virtual key signs for, the
 * JMESPath expressions that find the options and the ceremony id in an options answer and the
 * verdict in a verify answer, and the request bodies. {@link #softkeyRp(String)} gives softkey rp's
 * contract (docs/load-testing.md); every part can be changed for another RP.
 *
 * <p>Immutable: the {@code withXxx} methods return a copy.
 */
public final class PasskeyEndpoints {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final String origin;
  private final String registerOptions;
  private final String registerVerify;
  private final String signInOptions;
  private final String signInVerify;
  private final String optionsPath;
  private final Optional<String> ceremonyIdPath;
  private final String okPath;
  private final Function<String, String> registerOptionsBody;
  private final Function<String, String> signInOptionsBody;
  private final BiFunction<Optional<String>, String, String> verifyBody;

  private PasskeyEndpoints(
      String baseUrl,
      String origin,
      String registerOptions,
      String registerVerify,
      String signInOptions,
      String signInVerify,
      String optionsPath,
      Optional<String> ceremonyIdPath,
      String okPath,
      Function<String, String> registerOptionsBody,
      Function<String, String> signInOptionsBody,
      BiFunction<Optional<String>, String, String> verifyBody) {
    this.baseUrl = baseUrl;
    this.origin = origin;
    this.registerOptions = registerOptions;
    this.registerVerify = registerVerify;
    this.signInOptions = signInOptions;
    this.signInVerify = signInVerify;
    this.optionsPath = optionsPath;
    this.ceremonyIdPath = ceremonyIdPath;
    this.okPath = okPath;
    this.registerOptionsBody = registerOptionsBody;
    this.signInOptionsBody = signInOptionsBody;
    this.verifyBody = verifyBody;
  }

  /**
   * softkey rp's contract at {@code baseUrl} (e.g. {@code http://localhost:8780}): POST
   * /api/register/options {"username", "displayName", "discoverable": false}, POST
   * /api/register/verify {"ceremonyId", "credential"}, POST /api/signin/options {"username"}, POST
   * /api/signin/verify {"ceremonyId", "credential"}; the options are the answer's {@code publicKey},
   * the ceremony id its {@code ceremonyId}, and a verify passed when {@code ok} is true. The origin
   * is the base URL's scheme, host and port.
   *
   * <p>Registrations ask for non-discoverable credentials: a key rebuilt from the user's seed on
   * another injector opens those (their private key travels sealed in the credential ID), while a
   * discoverable credential lives only in the memory of the key that made it.
   *
   * @throws IllegalArgumentException when {@code baseUrl} is not an absolute http(s) URL
   */
  public static PasskeyEndpoints softkeyRp(String baseUrl) {
    String base = stripSlash(Objects.requireNonNull(baseUrl, "baseUrl"));
    return new PasskeyEndpoints(
        base,
        originOf(base),
        base + "/api/register/options",
        base + "/api/register/verify",
        base + "/api/signin/options",
        base + "/api/signin/verify",
        "publicKey",
        Optional.of("ceremonyId"),
        "ok",
        username -> registerOptions(username, false, Optional.empty(), Optional.empty()),
        username -> signInOptions(Optional.of(username), Optional.empty()),
        PasskeyEndpoints::verify);
  }

  /** softkey rp's register/options body for {@code username} (also its display name). */
  public static String registerOptions(String username, boolean discoverable, Optional<String> userVerification, Optional<String> attestation) {
    ObjectNode body = JSON.createObjectNode().put("username", username).put("displayName", username).put("discoverable", discoverable);
    userVerification.ifPresent(uv -> body.put("userVerification", uv));
    attestation.ifPresent(a -> body.put("attestation", a));
    return body.toString();
  }

  /** softkey rp's signin/options body: with a username (allowCredentials) or without (discoverable). */
  public static String signInOptions(Optional<String> username, Optional<String> userVerification) {
    ObjectNode body = JSON.createObjectNode();
    username.ifPresent(u -> body.put("username", u));
    userVerification.ifPresent(uv -> body.put("userVerification", uv));
    return body.toString();
  }

  /**
   * softkey rp's verify body: {"ceremonyId": ..., "credential": ...}, the credential JSON as it
   * is (it must be valid JSON: the virtual key's answer always is).
   */
  public static String verify(Optional<String> ceremonyId, String credentialJson) {
    ObjectNode body = JSON.createObjectNode();
    ceremonyId.ifPresent(id -> body.put("ceremonyId", id));
    try {
      body.set("credential", JSON.readTree(credentialJson));
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("the credential is not JSON", e);
    }
    return body.toString();
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static String originOf(String url) {
    URI u;
    try {
      u = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the RP's base URL is not a URL: give one like http://localhost:8780", e);
    }
    if (u.getScheme() == null || u.getHost() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
      throw new IllegalArgumentException("the RP's base URL must be absolute http or https, like http://localhost:8780");
    }
    return u.getScheme() + "://" + u.getHost() + (u.getPort() == -1 ? "" : ":" + u.getPort());
  }

  private String url(String pathOrUrl) {
    return pathOrUrl.startsWith("http://") || pathOrUrl.startsWith("https://") ? pathOrUrl : baseUrl + (pathOrUrl.startsWith("/") ? "" : "/") + pathOrUrl;
  }

  /** The origin the keys put in clientDataJSON (a page's origin, when it is not the API's). */
  public PasskeyEndpoints withOrigin(String o) {
    return new PasskeyEndpoints(baseUrl, Objects.requireNonNull(o, "origin"), registerOptions, registerVerify, signInOptions, signInVerify, optionsPath, ceremonyIdPath, okPath, registerOptionsBody, signInOptionsBody, verifyBody);
  }

  /** The four endpoints, each a path under the base URL or an absolute URL. */
  public PasskeyEndpoints withPaths(String registerOptionsPath, String registerVerifyPath, String signInOptionsPath, String signInVerifyPath) {
    return new PasskeyEndpoints(
        baseUrl, origin, url(registerOptionsPath), url(registerVerifyPath), url(signInOptionsPath), url(signInVerifyPath), optionsPath, ceremonyIdPath, okPath, registerOptionsBody, signInOptionsBody, verifyBody);
  }

  /**
   * How an options answer is read: {@code optionsPath} (JMESPath) finds the options object the key
   * takes (bare or as {"publicKey": ...}; {@code "@"} for the whole body), {@code ceremonyIdPath}
   * the ceremony id (empty when the RP keeps the ceremony in a cookie: Gatling's per-user cookie
   * jar then carries it).
   */
  public PasskeyEndpoints withExtraction(String optionsJmesPath, Optional<String> ceremonyIdJmesPath) {
    return new PasskeyEndpoints(baseUrl, origin, registerOptions, registerVerify, signInOptions, signInVerify, Objects.requireNonNull(optionsJmesPath, "optionsPath"), ceremonyIdJmesPath, okPath, registerOptionsBody, signInOptionsBody, verifyBody);
  }

  /** The JMESPath of the verify answer's verdict, which must be {@code true} (besides HTTP 200). */
  public PasskeyEndpoints withOkPath(String okJmesPath) {
    return new PasskeyEndpoints(baseUrl, origin, registerOptions, registerVerify, signInOptions, signInVerify, optionsPath, ceremonyIdPath, Objects.requireNonNull(okJmesPath, "okPath"), registerOptionsBody, signInOptionsBody, verifyBody);
  }

  /** The register/options and signin/options bodies, from the user name. */
  public PasskeyEndpoints withOptionsBodies(Function<String, String> registerBody, Function<String, String> signInBody) {
    return new PasskeyEndpoints(baseUrl, origin, registerOptions, registerVerify, signInOptions, signInVerify, optionsPath, ceremonyIdPath, okPath, Objects.requireNonNull(registerBody), Objects.requireNonNull(signInBody), verifyBody);
  }

  /** The verify body, from the ceremony id (when extracted) and the credential JSON. */
  public PasskeyEndpoints withVerifyBody(BiFunction<Optional<String>, String, String> body) {
    return new PasskeyEndpoints(baseUrl, origin, registerOptions, registerVerify, signInOptions, signInVerify, optionsPath, ceremonyIdPath, okPath, registerOptionsBody, signInOptionsBody, Objects.requireNonNull(body));
  }

  public String baseUrl() {
    return baseUrl;
  }

  public String origin() {
    return origin;
  }

  public String registerOptionsUrl() {
    return registerOptions;
  }

  public String registerVerifyUrl() {
    return registerVerify;
  }

  public String signInOptionsUrl() {
    return signInOptions;
  }

  public String signInVerifyUrl() {
    return signInVerify;
  }

  public String optionsPath() {
    return optionsPath;
  }

  public Optional<String> ceremonyIdPath() {
    return ceremonyIdPath;
  }

  public String okPath() {
    return okPath;
  }

  String registerOptionsBody(String username) {
    return registerOptionsBody.apply(username);
  }

  String signInOptionsBody(String username) {
    return signInOptionsBody.apply(username);
  }

  String verifyBody(Optional<String> ceremonyId, String credentialJson) {
    return verifyBody.apply(ceremonyId, credentialJson);
  }

  @Override
  public String toString() {
    return "PasskeyEndpoints[" + baseUrl + ", origin " + origin + "]";
  }
}
