package dev.softkey.core.extension;

import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
import java.util.Optional;

/**
 * thirdPartyPayment (CTAP 2.2 section 12.9): marks a credential as usable for payments that a party
 * other than its RP initiates (Secure Payment Confirmation).
 *
 * <p>makeCredential: input {@code true} marks the credential (the state, one byte 0x01, in the
 * stored record or the sealed ID); there is no makeCredential output (libfido2's {@code
 * check_extensions}: "thirdPartyPayment has no output for make credential"; pico-fido stores the
 * flag and answers nothing either); {@code false}: nothing.
 *
 * <p>getAssertion: input {@code true} outputs whether the credential is marked; {@code false} or
 * absent: no output. authenticatorCredentialManagement's enumerateCredentials reports the mark as
 * thirdPartyPayment (0x0C).
 */
public final class ThirdPartyPaymentExtension implements AuthenticatorExtension {
  public static final String ID = "thirdPartyPayment";
  private static final Bytes MARKED = Bytes.wrap(new byte[] {1});

  @Override
  public String identifier() {
    return ID;
  }

  @Override
  public MakeCredentialOutcome makeCredential(MakeCredentialInput in) {
    if (in.input().isEmpty() || !bool(in.input().get())) {
      return MakeCredentialOutcome.NONE;
    }
    return new MakeCredentialOutcome(Optional.of(MARKED), Optional.empty());
  }

  @Override
  public Optional<Object> getAssertion(GetAssertionInput in) {
    if (in.input().isEmpty() || !bool(in.input().get())) {
      return Optional.empty();
    }
    return Optional.of(marked(in.state()));
  }

  /** Whether a credential with this state is marked for third-party payment. */
  public static boolean marked(Optional<Bytes> state) {
    return state.map(MARKED::equals).orElse(false);
  }

  private static boolean bool(Object input) {
    if (!(input instanceof Boolean b)) {
      throw new CtapException(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE, "thirdPartyPayment must be a boolean");
    }
    return b;
  }
}
