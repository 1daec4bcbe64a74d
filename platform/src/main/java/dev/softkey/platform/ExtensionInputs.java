package dev.softkey.platform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.WebAuthnException.Name;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The client extension inputs with a structure of their own, as their JSON forms carry them
 * (AuthenticationExtensionsClientInputsJSON, WebAuthn L3 section 5.1.9/5.1.10: every BufferSource
 * is a base64url string). Reading them raises what WebIDL conversion and
 * parseCreationOptionsFromJSON() raise: TypeError for a wrong type or a missing required member,
 * EncodingError for base64url that does not decode.
 */
public final class ExtensionInputs {
  private ExtensionInputs() {}

  /**
   * AuthenticationExtensionsPRFValues (WebAuthn L3 section 10.1.4): the PRF inputs, any length.
   *
   * @param first required
   * @param second optional
   */
  public record PrfValues(Bytes first, Optional<Bytes> second) {
    static PrfValues fromJson(JsonNode n, String path) {
      if (!n.isObject()) {
        throw new WebAuthnException(Name.TypeError, path + " must be an object");
      }
      return new PrfValues(
          JsonInput.base64Url(n, "first", path + ".first"),
          JsonInput.member(n, "second").isPresent() ? Optional.of(JsonInput.base64Url(n, "second", path + ".second")) : Optional.empty());
    }
  }

  /**
   * AuthenticationExtensionsPRFInputs (WebAuthn L3 section 10.1.4).
   *
   * @param eval the PRF inputs for any credential
   * @param evalByCredential PRF inputs per credential, keyed by the base64url credential ID as the
   *     RP wrote it (checked against allowCredentials by get(), section 10.1.4 authentication step 2)
   */
  public record Prf(Optional<PrfValues> eval, Map<String, PrfValues> evalByCredential) {
    public Prf {
      evalByCredential = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(evalByCredential));
    }

    static Optional<Prf> fromJson(JsonNode ext) {
      Optional<JsonNode> prf = JsonInput.optObject(ext, "prf", "extensions.prf");
      if (prf.isEmpty()) {
        return Optional.empty();
      }
      JsonNode p = prf.get();
      Optional<PrfValues> eval = JsonInput.optObject(p, "eval", "extensions.prf.eval").map(n -> PrfValues.fromJson(n, "extensions.prf.eval"));
      Map<String, PrfValues> byCredential = new LinkedHashMap<>();
      Optional<JsonNode> by = JsonInput.optObject(p, "evalByCredential", "extensions.prf.evalByCredential");
      if (by.isPresent()) {
        for (Iterator<Map.Entry<String, JsonNode>> it = by.get().fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          byCredential.put(e.getKey(), PrfValues.fromJson(e.getValue(), "extensions.prf.evalByCredential[" + e.getKey() + "]"));
        }
      }
      return Optional.of(new Prf(eval, byCredential));
    }
  }

  /**
   * AuthenticationExtensionsLargeBlobInputs (WebAuthn L3 section 10.1.5). Which members a
   * ceremony accepts is checked by the ceremony (support at create, read or write at get).
   *
   * @param support "required" or "preferred" (other values are "preferred", as Chromium reads them)
   * @param read read the blob at get
   * @param write the blob to write at get
   */
  public record LargeBlob(Optional<String> support, Optional<Boolean> read, Optional<Bytes> write) {
    static Optional<LargeBlob> fromJson(JsonNode ext) {
      Optional<JsonNode> lb = JsonInput.optObject(ext, "largeBlob", "extensions.largeBlob");
      if (lb.isEmpty()) {
        return Optional.empty();
      }
      JsonNode n = lb.get();
      Optional<Boolean> read =
          JsonInput.member(n, "read").isPresent() ? Optional.of(JsonInput.bool(n, "read", "extensions.largeBlob.read", false)) : Optional.empty();
      Optional<Bytes> write =
          JsonInput.member(n, "write").isPresent() ? Optional.of(JsonInput.base64Url(n, "write", "extensions.largeBlob.write")) : Optional.empty();
      return Optional.of(new LargeBlob(JsonInput.optText(n, "support", "extensions.largeBlob.support"), read, write));
    }
  }

  /**
   * HMACGetSecretInput, the legacy get() input of hmac-secret (CTAP 2.1 section 12.5, "Client
   * extension input": {@code hmacGetSecret: {salt1, salt2?}}, 32-byte salts sent as they are;
   * python-fido2's HmacSecretExtension and Windows' WEBAUTHN_HMAC_SECRET_SALT read it the same way).
   *
   * @param salt1 32 bytes
   * @param salt2 32 bytes, optional
   */
  public record HmacGetSecret(Bytes salt1, Optional<Bytes> salt2) {
    /** Salt length of hmac-secret (CTAP 2.1 section 12.5). */
    public static final int SALT_LENGTH = 32;

    public HmacGetSecret {
      if (salt1.length() != SALT_LENGTH || salt2.map(s -> s.length() != SALT_LENGTH).orElse(false)) {
        throw new WebAuthnException(Name.TypeError, "hmacGetSecret salts are 32 bytes each");
      }
    }

    static Optional<HmacGetSecret> fromJson(JsonNode ext) {
      Optional<JsonNode> h = JsonInput.optObject(ext, "hmacGetSecret", "extensions.hmacGetSecret");
      if (h.isEmpty()) {
        return Optional.empty();
      }
      JsonNode n = h.get();
      return Optional.of(
          new HmacGetSecret(
              JsonInput.base64Url(n, "salt1", "extensions.hmacGetSecret.salt1"),
              JsonInput.member(n, "salt2").isPresent()
                  ? Optional.of(JsonInput.base64Url(n, "salt2", "extensions.hmacGetSecret.salt2"))
                  : Optional.empty()));
    }
  }

  /** An optional base64url member of the extensions (credBlob). */
  static Optional<Bytes> optBase64Url(JsonNode ext, String name) {
    return JsonInput.member(ext, name).isPresent() ? Optional.of(JsonInput.base64Url(ext, name, "extensions." + name)) : Optional.empty();
  }
}
