package dev.softkey.core.extension;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
import java.util.Optional;

/**
 * credProtect (CTAP 2.1 section 12.1): the credential protection policy of a credential, the one
 * place softkey keeps and enforces it. Levels: 1 userVerificationOptional, 2
 * userVerificationOptionalWithCredentialIDList, 3 userVerificationRequired.
 *
 * <p>makeCredential: the level is the platform's input, raised to the model's default ({@code
 * profile.extensions().credProtectDefault()}) when that is stricter; the output (in authData) is the
 * level applied, and only when the platform sent an input (OpenSK: {@code
 * extensions.cred_protect.and(cred_protect_policy)}; Chromium accepts a level at or above the one
 * requested). The state is the level as one byte, kept only when it protects something: level 2
 * and 3 for a discoverable credential, level 3 for a non-discoverable one (which is always named
 * in a list, so level 2 changes nothing for it). No state: level 1.
 *
 * <p>getAssertion step 7 (and makeCredential step 12's excludeList): a level 3 credential needs the
 * "uv" bit; a level 2 one needs the "uv" bit or a credential list (allowList, excludeList).
 */
public final class CredProtectExtension implements AuthenticatorExtension {
  public static final String ID = "credProtect";
  public static final int USER_VERIFICATION_OPTIONAL = 1;
  public static final int USER_VERIFICATION_OPTIONAL_WITH_CREDENTIAL_ID_LIST = 2;
  public static final int USER_VERIFICATION_REQUIRED = 3;

  private final int defaultLevel;

  /** @param defaultLevel the level a credential gets without an input (1..3) */
  public CredProtectExtension(int defaultLevel) {
    if (defaultLevel < USER_VERIFICATION_OPTIONAL || defaultLevel > USER_VERIFICATION_REQUIRED) {
      throw new IllegalArgumentException("credProtect default must be 1..3");
    }
    this.defaultLevel = defaultLevel;
  }

  @Override
  public String identifier() {
    return ID;
  }

  @Override
  public MakeCredentialOutcome makeCredential(MakeCredentialInput in) {
    Optional<Integer> requested = in.input().map(CredProtectExtension::requestedLevel);
    int level = Math.max(requested.orElse(USER_VERIFICATION_OPTIONAL), defaultLevel);
    boolean protects =
        level == USER_VERIFICATION_REQUIRED || (level == USER_VERIFICATION_OPTIONAL_WITH_CREDENTIAL_ID_LIST && in.discoverable());
    return new MakeCredentialOutcome(
        protects ? Optional.of(Bytes.wrap(new byte[] {(byte) level})) : Optional.empty(),
        requested.map(r -> (Object) (long) level));
  }

  /**
   * The input: an unsigned integer 1..3. Anything else is CTAP2_ERR_CBOR_UNEXPECTED_TYPE: section
   * 12.1 names no error for a level it does not define; OpenSK's
   * {@code CredentialProtectionPolicy::try_from} answers this one for both a wrong type and a
   * value outside 1..3.
   */
  private static int requestedLevel(Object input) {
    if (!(input instanceof Long l)) {
      throw new CtapException(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE, "credProtect must be an unsigned integer");
    }
    if (l < USER_VERIFICATION_OPTIONAL || l > USER_VERIFICATION_REQUIRED) {
      throw new CtapException(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE, "credProtect must be 1, 2 or 3");
    }
    return l.intValue();
  }

  /** getAssertion steps 7.4 and 7.5 (makeCredential step 12.1 for the excludeList). */
  @Override
  public boolean applicable(Optional<Bytes> state, boolean uv, boolean allowListPresent) {
    return switch (level(state)) {
      case USER_VERIFICATION_REQUIRED -> uv;
      case USER_VERIFICATION_OPTIONAL_WITH_CREDENTIAL_ID_LIST -> uv || allowListPresent;
      default -> true;
    };
  }

  /** The level a credential with this state has (credentialManagement's credProtect, 0x0A). */
  public static int level(Optional<Bytes> state) {
    return state
        .filter(s -> s.length() == 1 && s.get(0) >= USER_VERIFICATION_OPTIONAL && s.get(0) <= USER_VERIFICATION_REQUIRED)
        .map(s -> s.get(0))
        // A state that is not a level came from elsewhere: treat it as the strictest.
        .orElse(state.isPresent() ? USER_VERIFICATION_REQUIRED : USER_VERIFICATION_OPTIONAL);
  }
}
