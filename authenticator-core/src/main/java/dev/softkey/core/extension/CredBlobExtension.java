package dev.softkey.core.extension;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.command.GetInfoResponse;
import dev.softkey.ctap.model.Bytes;
import java.util.Optional;

/**
 * credBlob (CTAP 2.1 section 12.2): a small opaque blob the RP stores with a credential at
 * makeCredential and reads back at getAssertion. getInfo reports maxCredBlobLength (0x0F).
 *
 * <p>makeCredential: a byte string of at most maxCredBlobLength bytes is kept with the credential
 * and the output is {@code credBlob: true}; a longer one is not kept and the output is {@code
 * false} (OpenSK: {@code cred_blob.filter(|c| c.len() <= max_cred_blob_length())}, output whether
 * it was kept). A discoverable credential keeps it in its stored record, a non-discoverable one
 * inside its sealed ID; when the ID would then pass the profile's maxCredentialIdLength the blob is
 * not kept and the output is false (section 12.2 lets an authenticator decline; YubiKeys keep
 * credBlob for discoverable credentials only).
 *
 * <p>getAssertion: {@code credBlob: true} (WebAuthn's getCredBlob) outputs the stored blob, an
 * empty byte string when the credential has none (section 12.2; OpenSK: {@code
 * cred_blob.unwrap_or_default()}); false or absent: no output.
 */
public final class CredBlobExtension implements AuthenticatorExtension {
  public static final String ID = "credBlob";

  private final int maxCredBlobLength;

  /** @param maxCredBlobLength getInfo maxCredBlobLength, at least 32 (section 6.4) */
  public CredBlobExtension(int maxCredBlobLength) {
    if (maxCredBlobLength < 32) {
      throw new IllegalArgumentException("maxCredBlobLength must be at least 32");
    }
    this.maxCredBlobLength = maxCredBlobLength;
  }

  @Override
  public String identifier() {
    return ID;
  }

  @Override
  public void contributeToInfo(GetInfoResponse.Builder info) {
    info.maxCredBlobLength((long) maxCredBlobLength);
  }

  @Override
  public MakeCredentialOutcome makeCredential(MakeCredentialInput in) {
    if (in.input().isEmpty()) {
      return MakeCredentialOutcome.NONE;
    }
    if (!(in.input().get() instanceof Bytes blob)) {
      throw new CtapException(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE, "credBlob must be a byte string");
    }
    MakeCredentialOutcome notKept = new MakeCredentialOutcome(Optional.empty(), Optional.of(false));
    if (blob.length() > maxCredBlobLength) {
      return notKept;
    }
    // An empty blob needs no state: getCredBlob answers an empty byte string either way.
    return new MakeCredentialOutcome(
        blob.isEmpty() ? Optional.empty() : Optional.of(blob), Optional.of(true), Optional.of(notKept));
  }

  @Override
  public Optional<Object> getAssertion(GetAssertionInput in) {
    if (in.input().isEmpty()) {
      return Optional.empty();
    }
    if (!(in.input().get() instanceof Boolean wanted)) {
      throw new CtapException(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE, "credBlob must be a boolean at getAssertion");
    }
    return wanted ? Optional.of(in.state().orElse(Bytes.EMPTY)) : Optional.empty();
  }
}
