package dev.softkey.platform;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.ctap.model.Bytes;
import java.util.Optional;

/**
 * getClientExtensionResults() of a create() or get(): the client extension outputs of the
 * extensions that ran, and their JSON form, AuthenticationExtensionsClientOutputsJSON (WebAuthn L3
 * section 5.1.9/5.1.10: every ArrayBuffer as base64url, as browsers' toJSON() writes it). An
 * extension the RP did not ask for, or that gave no output, is absent. Extensions whose only output
 * is in authenticatorData (credProtect, minPinLength, CTAP 2.1 sections 12.1 and 12.4) have no
 * member here: the RP reads them from authData.
 *
 * @param credPropsRk credProps.rk (WebAuthn L3 section 10.1.3)
 * @param hmacCreateSecret hmacCreateSecret (CTAP 2.1 section 12.5, legacy name)
 * @param hmacGetSecret hmacGetSecret {output1, output2?} (CTAP 2.1 section 12.5, legacy name)
 * @param prf prf {enabled?, results?} (WebAuthn L3 section 10.1.4)
 * @param largeBlob largeBlob {supported?, blob?, written?} (WebAuthn L3 section 10.1.5)
 * @param credBlob credBlob at create: whether the authenticator stored it (CTAP 2.1 section 12.2)
 * @param getCredBlob getCredBlob at get: the stored blob (CTAP 2.1 section 12.2)
 */
public record ClientExtensionResults(
    Optional<Boolean> credPropsRk,
    Optional<Boolean> hmacCreateSecret,
    Optional<HmacGetSecretOutput> hmacGetSecret,
    Optional<PrfOutput> prf,
    Optional<LargeBlobOutput> largeBlob,
    Optional<Boolean> credBlob,
    Optional<Bytes> getCredBlob) {
  /** No extension output. */
  public static final ClientExtensionResults NONE =
      new ClientExtensionResults(
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  /**
   * HMACGetSecretOutput: the decrypted hmac-secret outputs, 32 bytes each.
   *
   * @param output1 HMAC-SHA-256(CredRandom, salt1)
   * @param output2 HMAC-SHA-256(CredRandom, salt2), when salt2 was given
   */
  public record HmacGetSecretOutput(Bytes output1, Optional<Bytes> output2) {}

  /**
   * AuthenticationExtensionsPRFValues as an output.
   *
   * @param first the PRF of the first input
   * @param second the PRF of the second input, when one was given
   */
  public record PrfResults(Bytes first, Optional<Bytes> second) {}

  /**
   * AuthenticationExtensionsPRFOutputs.
   *
   * @param enabled at create: whether the credential has a PRF (hmac-secret true in authData)
   * @param results the PRF results (get; create when the authenticator has hmac-secret-mc)
   */
  public record PrfOutput(Optional<Boolean> enabled, Optional<PrfResults> results) {}

  /**
   * AuthenticationExtensionsLargeBlobOutputs.
   *
   * @param supported at create: whether the credential can have a large blob
   * @param blob at get with read: the credential's blob, when it has one
   * @param written at get with write: whether the blob was stored
   */
  public record LargeBlobOutput(Optional<Boolean> supported, Optional<Bytes> blob, Optional<Boolean> written) {}

  public ClientExtensionResults withCredPropsRk(boolean rk) {
    return new ClientExtensionResults(Optional.of(rk), hmacCreateSecret, hmacGetSecret, prf, largeBlob, credBlob, getCredBlob);
  }

  public ClientExtensionResults withHmacCreateSecret(boolean v) {
    return new ClientExtensionResults(credPropsRk, Optional.of(v), hmacGetSecret, prf, largeBlob, credBlob, getCredBlob);
  }

  public ClientExtensionResults withHmacGetSecret(HmacGetSecretOutput v) {
    return new ClientExtensionResults(credPropsRk, hmacCreateSecret, Optional.of(v), prf, largeBlob, credBlob, getCredBlob);
  }

  public ClientExtensionResults withPrf(PrfOutput v) {
    return new ClientExtensionResults(credPropsRk, hmacCreateSecret, hmacGetSecret, Optional.of(v), largeBlob, credBlob, getCredBlob);
  }

  public ClientExtensionResults withLargeBlob(LargeBlobOutput v) {
    return new ClientExtensionResults(credPropsRk, hmacCreateSecret, hmacGetSecret, prf, Optional.of(v), credBlob, getCredBlob);
  }

  public ClientExtensionResults withCredBlob(boolean v) {
    return new ClientExtensionResults(credPropsRk, hmacCreateSecret, hmacGetSecret, prf, largeBlob, Optional.of(v), getCredBlob);
  }

  public ClientExtensionResults withGetCredBlob(Bytes v) {
    return new ClientExtensionResults(credPropsRk, hmacCreateSecret, hmacGetSecret, prf, largeBlob, credBlob, Optional.of(v));
  }

  /** prf.results.first, the PRF output most RPs use. */
  public Optional<Bytes> prfFirst() {
    return prf.flatMap(PrfOutput::results).map(PrfResults::first);
  }

  /** prf.results.second. */
  public Optional<Bytes> prfSecond() {
    return prf.flatMap(PrfOutput::results).flatMap(PrfResults::second);
  }

  /** prf.enabled. */
  public Optional<Boolean> prfEnabled() {
    return prf.flatMap(PrfOutput::enabled);
  }

  /** Writes AuthenticationExtensionsClientOutputsJSON into {@code out}. */
  public ObjectNode writeJson(ObjectNode out) {
    credPropsRk.ifPresent(rk -> out.putObject("credProps").put("rk", rk));
    hmacCreateSecret.ifPresent(h -> out.put("hmacCreateSecret", h));
    hmacGetSecret.ifPresent(
        h -> {
          ObjectNode n = out.putObject("hmacGetSecret");
          n.put("output1", h.output1().base64Url());
          h.output2().ifPresent(o -> n.put("output2", o.base64Url()));
        });
    prf.ifPresent(
        p -> {
          ObjectNode n = out.putObject("prf");
          p.enabled().ifPresent(e -> n.put("enabled", e));
          p.results()
              .ifPresent(
                  r -> {
                    ObjectNode res = n.putObject("results");
                    res.put("first", r.first().base64Url());
                    r.second().ifPresent(s -> res.put("second", s.base64Url()));
                  });
        });
    largeBlob.ifPresent(
        l -> {
          ObjectNode n = out.putObject("largeBlob");
          l.supported().ifPresent(s -> n.put("supported", s));
          l.blob().ifPresent(b -> n.put("blob", b.base64Url()));
          l.written().ifPresent(w -> n.put("written", w));
        });
    credBlob.ifPresent(c -> out.put("credBlob", c));
    getCredBlob.ifPresent(b -> out.put("getCredBlob", b.base64Url()));
    return out;
  }

  /** AuthenticationExtensionsClientOutputsJSON. */
  public ObjectNode toJsonNode() {
    return writeJson(JsonInput.MAPPER.createObjectNode());
  }
}
