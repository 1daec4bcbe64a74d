package dev.softkey.core.extension;

import dev.softkey.ctap.command.GetAssertionRequest;
import dev.softkey.ctap.command.GetInfoResponse;
import dev.softkey.ctap.command.MakeCredentialRequest;
import dev.softkey.ctap.model.Bytes;
import java.util.Map;
import java.util.Optional;

/**
 * One authenticator extension (CTAP 2.1 section 12, WebAuthn L3 section 9): its identifier, what it
 * adds to getInfo, its processing at makeCredential step 15 and getAssertion step 10, whether a
 * credential is applicable at getAssertion step 7 (and makeCredential step 12's excludeList), and
 * the state it keeps with a credential. That state travels inside the sealed credential ID of a
 * non-discoverable credential and in the stored record of a discoverable one, so both kinds behave
 * alike. Registered with {@code AuthenticatorBuilder.extension}; only registered extensions appear
 * in getInfo, and inputs of any other extension are ignored, as CTAP says unsupported ones are.
 */
public interface AuthenticatorExtension {
  /** The extension identifier, as in getInfo member 0x02 and the extensions maps ("credProtect"). */
  String identifier();

  /** getInfo members the extension adds besides its identifier (e.g. maxCredBlobLength). */
  default void contributeToInfo(GetInfoResponse.Builder info) {}

  /**
   * makeCredential step 15, called for every registered extension whether or not the platform sent
   * an input (some act without one, such as hmac-secret's CredRandom).
   */
  default MakeCredentialOutcome makeCredential(MakeCredentialInput in) {
    return MakeCredentialOutcome.NONE;
  }

  /**
   * makeCredential step 15, after every registered extension's {@link #makeCredential}: an output
   * that depends on the state the extensions made for this credential, whichever ran first
   * (hmac-secret-mc reads hmac-secret's CredRandom). Goes into authenticatorData under this
   * extension's identifier, next to (or instead of) the output of {@link #makeCredential}.
   *
   * @param states the states of all extensions for the new credential, by identifier
   */
  default Optional<Object> makeCredentialOutput(MakeCredentialInput in, Map<String, Bytes> states) {
    return Optional.empty();
  }

  /**
   * getAssertion step 7 (and makeCredential step 12): whether a credential with this state may be
   * used or revealed; credProtect hides credentials this way.
   */
  default boolean applicable(Optional<Bytes> state, boolean uv, boolean allowListPresent) {
    return true;
  }

  /** getAssertion step 10: the authenticator extension output for this assertion, if any. */
  default Optional<Object> getAssertion(GetAssertionInput in) {
    return Optional.empty();
  }

  /**
   * makeCredential, after step 16 (the credential exists): the response members outside
   * authenticatorData this extension fills, from the state it made at step 15.
   */
  default ResponseMembers makeCredentialResponse(MakeCredentialInput in, Optional<Bytes> state) {
    return ResponseMembers.NONE;
  }

  /** getAssertion step 10 (and getNextAssertion): the response members outside authenticatorData for this assertion. */
  default ResponseMembers getAssertionResponse(GetAssertionInput in) {
    return ResponseMembers.NONE;
  }

  /**
   * credentialManagement enumerateCredentials (CTAP 2.1 section 6.8.4): the response members for a
   * discoverable credential whose state for this extension is {@code state}.
   */
  default ResponseMembers credentialManagementResponse(Optional<Bytes> state) {
    return ResponseMembers.NONE;
  }

  /**
   * What an extension puts in a command's response outside authenticatorData: largeBlobKey (CTAP 2.1
   * section 12.3), makeCredential member 0x05, getAssertion member 0x07, enumerateCredentials
   * member 0x0B.
   *
   * @param largeBlobKey the credential's largeBlobKey (secret)
   */
  record ResponseMembers(Optional<Bytes> largeBlobKey) {
    public static final ResponseMembers NONE = new ResponseMembers(Optional.empty());

    /** This one's members, with {@code other}'s where this one has none. */
    public ResponseMembers or(ResponseMembers other) {
      return new ResponseMembers(largeBlobKey.isPresent() ? largeBlobKey : other.largeBlobKey);
    }
  }

  /**
   * What makeCredential's extension step sees.
   *
   * @param input the platform's input for this extension, if sent
   * @param request the whole request
   * @param uv the response's "uv" bit
   * @param discoverable whether a discoverable credential is being made
   * @param credentialSecretSupplier a secret bound to the new credential ({@link
   *     Extensions#credentialSecret}, derived from its private key), from which an extension may
   *     recompute per-credential secrets instead of carrying them in the sealed ID (hmac-secret's
   *     CredRandoms for a non-discoverable credential); empty when not given. Supplied: an HMAC is
   *     computed only when an extension asks (hmac-secret-mc's output), not on every makeCredential
   */
  record MakeCredentialInput(
      Optional<Object> input, MakeCredentialRequest request, boolean uv, boolean discoverable,
      java.util.function.Supplier<Bytes> credentialSecretSupplier) {
    /** Without a credential secret. */
    public MakeCredentialInput(Optional<Object> input, MakeCredentialRequest request, boolean uv, boolean discoverable) {
      this(input, request, uv, discoverable, () -> Bytes.EMPTY);
    }

    /** The credential secret (see the record's description); computed on first use. */
    public Bytes credentialSecret() {
      return credentialSecretSupplier.get();
    }

    @Override
    public String toString() {
      return "MakeCredentialInput[" + input.isPresent() + ", uv " + uv + ", discoverable " + discoverable + "]";
    }
  }

  /**
   * What an extension produced at makeCredential.
   *
   * @param state bytes kept with the credential (inside its ID or its stored record)
   * @param output the authenticator extension output in authenticatorData
   * @param withoutRoom what the extension settles for when the sealed ID of a non-discoverable
   *     credential would exceed the profile's maxCredentialIdLength with {@code state} in it
   *     (credBlob: nothing kept, output false); empty: the state is needed, the ID must hold it
   */
  record MakeCredentialOutcome(Optional<Bytes> state, Optional<Object> output, Optional<MakeCredentialOutcome> withoutRoom) {
    public static final MakeCredentialOutcome NONE = new MakeCredentialOutcome(Optional.empty(), Optional.empty());

    public MakeCredentialOutcome {
      if (withoutRoom.flatMap(MakeCredentialOutcome::withoutRoom).isPresent()) {
        throw new IllegalArgumentException("withoutRoom is the last resort, it has no fallback of its own");
      }
    }

    /** An outcome whose state the credential must keep. */
    public MakeCredentialOutcome(Optional<Bytes> state, Optional<Object> output) {
      this(state, output, Optional.empty());
    }
  }

  /**
   * What getAssertion's extension step sees.
   *
   * @param input the platform's input for this extension, if sent
   * @param request the whole request
   * @param credentialId the credential being asserted
   * @param state the state the extension kept with that credential
   * @param uv the response's "uv" bit
   * @param up the response's "up" bit
   * @param credentialSecretSupplier the credential's secret, as {@link
   *     MakeCredentialInput#credentialSecret} had it at makeCredential; empty when not given;
   *     computed only when an extension asks (hmac-secret with an input)
   */
  record GetAssertionInput(
      Optional<Object> input,
      GetAssertionRequest request,
      Bytes credentialId,
      Optional<Bytes> state,
      boolean uv,
      boolean up,
      java.util.function.Supplier<Bytes> credentialSecretSupplier) {
    /** Without a credential secret. */
    public GetAssertionInput(
        Optional<Object> input, GetAssertionRequest request, Bytes credentialId, Optional<Bytes> state, boolean uv, boolean up) {
      this(input, request, credentialId, state, uv, up, () -> Bytes.EMPTY);
    }

    /** The credential secret (see the record's description); computed on first use. */
    public Bytes credentialSecret() {
      return credentialSecretSupplier.get();
    }

    @Override
    public String toString() {
      return "GetAssertionInput[" + input.isPresent() + ", uv " + uv + ", up " + up + "]";
    }
  }

  /** The states of all extensions of one credential, by identifier. */
  static Optional<Bytes> stateOf(Map<String, Bytes> states, AuthenticatorExtension e) {
    return Optional.ofNullable(states.get(e.identifier()));
  }
}
