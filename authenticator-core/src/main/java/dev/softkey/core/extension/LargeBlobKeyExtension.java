package dev.softkey.core.extension;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import java.util.Optional;

/**
 * largeBlobKey (CTAP 2.1 section 12.3): a discoverable credential made with the input {@code true}
 * gets a random 32-byte largeBlobKey, kept with the credential (its stored record) and returned in
 * the makeCredential response member largeBlobKey (0x05), in the getAssertion response member 0x07
 * when asked for with {@code true}, and in credential management's enumerateCredentials member
 * 0x0B. The key is never in authenticatorData: the extension has no authenticator output. The
 * platform uses the key to encrypt the credential's entry in the large-blob array
 * (authenticatorLargeBlobs, section 6.10), which this extension comes with (the profile's {@code
 * extensions.largeBlobs}).
 *
 * <p>An input other than {@code true} is CTAP2_ERR_INVALID_OPTION ({@code false}) or
 * CTAP2_ERR_CBOR_UNEXPECTED_TYPE (not a boolean), and at makeCredential the "rk" option must be
 * true, else CTAP2_ERR_INVALID_OPTION: the key belongs to discoverable credentials only (OpenSK
 * and pico-fido answer the same).
 */
public final class LargeBlobKeyExtension implements AuthenticatorExtension {
  public static final String ID = "largeBlobKey";
  /** The largeBlobKey is 32 bytes (section 12.3), an AES-256-GCM key for the platform. */
  public static final int KEY_LENGTH = 32;

  private final RandomSource random;

  public LargeBlobKeyExtension(RandomSource random) {
    this.random = random;
  }

  @Override
  public String identifier() {
    return ID;
  }

  /** makeCredential step 15: a new random largeBlobKey for a discoverable credential asked for one. */
  @Override
  public MakeCredentialOutcome makeCredential(MakeCredentialInput in) {
    if (!requested(in.input())) {
      return MakeCredentialOutcome.NONE;
    }
    if (!in.discoverable()) {
      throw new CtapException(CtapStatus.CTAP2_ERR_INVALID_OPTION, "largeBlobKey needs a discoverable credential (rk)");
    }
    return new MakeCredentialOutcome(Optional.of(Bytes.wrap(random.bytes(KEY_LENGTH))), Optional.empty());
  }

  /** The makeCredential response member largeBlobKey (0x05): the key made at step 15. */
  @Override
  public ResponseMembers makeCredentialResponse(MakeCredentialInput in, Optional<Bytes> state) {
    return new ResponseMembers(state);
  }

  /** The getAssertion response member largeBlobKey (0x07), when the input is true and the credential has a key. */
  @Override
  public ResponseMembers getAssertionResponse(GetAssertionInput in) {
    if (!requested(in.input())) {
      return ResponseMembers.NONE;
    }
    return new ResponseMembers(in.state());
  }

  /** enumerateCredentials member largeBlobKey (0x0B), for a credential that has one. */
  @Override
  public ResponseMembers credentialManagementResponse(Optional<Bytes> state) {
    return new ResponseMembers(state);
  }

  /** Whether the platform asked for the key: absent no, true yes, anything else the spec's error. */
  private static boolean requested(Optional<Object> input) {
    if (input.isEmpty()) {
      return false;
    }
    if (!(input.get() instanceof Boolean b)) {
      throw new CtapException(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE, "largeBlobKey must be a boolean");
    }
    if (!b) {
      throw new CtapException(CtapStatus.CTAP2_ERR_INVALID_OPTION, "largeBlobKey must be true");
    }
    return true;
  }
}
