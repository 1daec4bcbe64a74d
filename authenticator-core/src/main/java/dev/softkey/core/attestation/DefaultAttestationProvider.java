package dev.softkey.core.attestation;

import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.core.crypto.CredentialKey;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.profile.AttestationFormat;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.store.DeviceStateStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The attestation statements softkey makes (WebAuthn L3 section 8), with the profile's batch key
 * and certificate from an {@link AttestationCa}:
 *
 * <ul>
 *   <li>{@link AttestationFormat#PACKED}: packed with x5c [batch certificate, vendor intermediate]
 *       (section 8.2: the chain up to, not including, the root the RP trusts);
 *   <li>{@link AttestationFormat#SELF}: packed self attestation, signed by the credential key
 *       (section 8.2);
 *   <li>{@link AttestationFormat#NONE}: fmt "none" with an empty attStmt (section 8.7);
 *   <li>{@link AttestationFormat#FIDO_U2F}: fido-u2f with x5c [batch certificate] (section 8.6:
 *       "a single element array"; RPs find the intermediate in their trust store), ES256
 *       credentials only.
 * </ul>
 *
 * The batch key and certificate are created on first use, not at construction.
 */
public final class DefaultAttestationProvider implements AttestationProvider {
  /** Statement formats ({@code fmt}, WebAuthn L3 section 8). */
  public static final String FMT_PACKED = "packed";

  public static final String FMT_NONE = "none";
  public static final String FMT_FIDO_U2F = "fido-u2f";

  /** attStmt member names (WebAuthn L3 sections 8.2 and 8.6). */
  static final String ALG = "alg";

  static final String SIG = "sig";
  static final String X5C = "x5c";

  private final Profile profile;
  private final AttestationCa ca;
  private final DeviceStateStore deviceStore;

  /**
   * A provider whose batch certificates come from {@code ca} (the installation's, shared by every
   * device) and whose enterprise attestation certificate is kept in the device's {@code
   * deviceStore}.
   */
  public DefaultAttestationProvider(Profile profile, AttestationCa ca, DeviceStateStore deviceStore) {
    this.profile = Objects.requireNonNull(profile);
    this.ca = Objects.requireNonNull(ca);
    this.deviceStore = Objects.requireNonNull(deviceStore);
  }

  /** The CA behind this provider. */
  public AttestationCa ca() {
    return ca;
  }

  @Override
  public AttestationStatement attest(AttestationFormat kind, AttestationInput input) {
    return switch (kind) {
      case PACKED -> packed(input);
      case SELF -> self(input);
      case NONE -> new AttestationStatement(FMT_NONE, Map.of());
      case FIDO_U2F -> fidoU2f(input);
    };
  }

  @Override
  public byte[] signU2f(byte[] data) {
    return ca.batch(profile).sign(data).toArray();
  }

  @Override
  public byte[] u2fCertificate() {
    return ca.batch(profile).certificate().toArray();
  }

  /**
   * An enterprise attestation (CTAP 2.1 section 7.1): packed with x5c [this device's enterprise
   * certificate, vendor intermediate], whatever the profile's usual format (an RP that asked for "enterprise" wants a
   * certificate).
   */
  @Override
  public Optional<AttestationStatement> attestEnterprise(AttestationInput input) {
    return Optional.of(packed(ca.enterprise(profile, deviceStore), input));
  }

  /** WebAuthn L3 section 8.2, "Signing procedure", attestation type Basic (x5c present). */
  private AttestationStatement packed(AttestationInput input) {
    return packed(ca.batch(profile), input);
  }

  private AttestationStatement packed(BatchAttestation batch, AttestationInput input) {
    // 1. Concatenate authenticatorData and clientDataHash to form attToBeSigned.
    byte[] attToBeSigned =
        Bytes.concat(input.authenticatorData(), input.clientDataHash()).unsafeArray();
    // 2. Sign attToBeSigned with the attestation private key; alg is that key's algorithm (ES256),
    //    x5c holds the attestation certificate followed by its certification chain, each
    //    certificate certifying the one preceding it; the root is the RP's trust anchor, so it is
    //    left out.
    Map<Object, Object> attStmt = new LinkedHashMap<>();
    attStmt.put(ALG, (long) batch.algorithm().id());
    attStmt.put(SIG, batch.sign(attToBeSigned));
    attStmt.put(X5C, List.of(batch.certificate(), ca.intermediateCertificate(profile.identity().vendor())));
    return new AttestationStatement(FMT_PACKED, attStmt);
  }

  /** WebAuthn L3 section 8.2, "Signing procedure", self attestation (no x5c). */
  private static AttestationStatement self(AttestationInput input) {
    CredentialKey key = input.credentialKey();
    // 1. Concatenate authenticatorData and clientDataHash to form attToBeSigned.
    byte[] attToBeSigned =
        Bytes.concat(input.authenticatorData(), input.clientDataHash()).unsafeArray();
    // 2. Sign with the credential private key; alg is the credential key's algorithm.
    Map<Object, Object> attStmt = new LinkedHashMap<>();
    attStmt.put(ALG, (long) key.algorithm().id());
    attStmt.put(SIG, key.sign(attToBeSigned));
    return new AttestationStatement(FMT_PACKED, attStmt);
  }

  /** WebAuthn L3 section 8.6, "Signing procedure". */
  private AttestationStatement fidoU2f(AttestationInput input) {
    CredentialKey key = input.credentialKey();
    // The credential public key must be P-256 to fit the 65-byte U2F public key format.
    if (key.algorithm() != CoseAlgorithm.ES256) {
      throw new CtapException(
          CtapStatus.CTAP2_ERR_UNSUPPORTED_ALGORITHM, "fido-u2f needs an ES256 credential");
    }
    BatchAttestation batch = ca.batch(profile);
    // verificationData = 0x00 || rpIdHash || clientDataHash || credentialId || publicKeyU2F,
    // then sign it with the attestation key; x5c holds the attestation certificate.
    byte[] verificationData =
        Bytes.concat(
                Bytes.wrap(new byte[] {0x00}),
                input.rpIdHash(),
                input.clientDataHash(),
                input.credentialId(),
                key.uncompressedEcPoint())
            .unsafeArray();
    Map<Object, Object> attStmt = new LinkedHashMap<>();
    attStmt.put(SIG, batch.sign(verificationData));
    attStmt.put(X5C, List.of(batch.certificate()));
    return new AttestationStatement(FMT_FIDO_U2F, attStmt);
  }

  @Override
  public String toString() {
    return "DefaultAttestationProvider[" + profile.id() + "]";
  }
}
