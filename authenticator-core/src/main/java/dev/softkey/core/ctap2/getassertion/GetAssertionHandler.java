package dev.softkey.core.ctap2.getassertion;

import dev.softkey.core.ctap2.CommandHandler;
import dev.softkey.core.ctap2.CommandParameters;
import dev.softkey.ctap.CtapCommand;
import java.util.Set;

import dev.softkey.core.OperationContext;
import dev.softkey.core.crypto.CredentialIdCodec;
import dev.softkey.core.crypto.CredentialKey;
import dev.softkey.core.control.ControlState;
import dev.softkey.core.control.ResponseOverrides;
import dev.softkey.core.ctap2.AuthenticatorEnv;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.core.ctap2.UserChecks;
import dev.softkey.core.ctap2.SignCounters;
import dev.softkey.ctap.model.AuthenticatorData;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.core.presence.UserPresence;
import dev.softkey.core.presence.UserRequest;
import dev.softkey.core.store.StoredCredential;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.GetAssertionRequest;
import dev.softkey.ctap.command.GetAssertionResponse;
import dev.softkey.ctap.command.PublicKeyCredentialDescriptor;
import dev.softkey.ctap.command.PublicKeyCredentialUserEntity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * authenticatorGetAssertion (CTAP 2.1 section 6.2.2) and, through {@link #next()},
 * authenticatorGetNextAssertion (6.3), whose state is a {@code StatefulCommands} sequence.
 */
public final class GetAssertionHandler implements CommandHandler {
  /** CTAP 2.1 6.3: the getNextAssertion timer. */
  public static final Duration NEXT_ASSERTION_TIMEOUT = Duration.ofSeconds(30);

  private final AuthenticatorEnv env;

  /**
   * One credential found for the request, with its parts opened; {@code injected}: a
   * non-discoverable credential the control API added (its counter lives in ControlState).
   */
  private record Found(Bytes credentialId, CredentialIdCodec.Sealed sealed, Optional<StoredCredential> stored, boolean injected) {
    Found(Bytes credentialId, CredentialIdCodec.Sealed sealed, Optional<StoredCredential> stored) {
      this(credentialId, sealed, stored, false);
    }

    /** The extensions' state: the stored record's for a discoverable credential, the ID's otherwise. */
    Map<String, Bytes> states() {
      return stored.map(StoredCredential::extensionData).orElse(sealed.extensionState());
    }
  }

  /** What getNextAssertion continues with: the request, the credentials not yet returned, the flags. */
  private record NextState(GetAssertionRequest request, List<Found> remaining, int flags) {}

  public GetAssertionHandler(AuthenticatorEnv env) {
    this.env = env;
  }

  @Override
  public CtapCommand command() {
    return CtapCommand.GET_ASSERTION;
  }

  @Override
  public Set<Permission> permissions() {
    return Set.of(Permission.GET_ASSERTION);
  }

  @Override
  public Optional<GetAssertionResponse> handle(CommandParameters parameters, OperationContext ctx) {
    return Optional.of(handle(GetAssertionRequest.fromCbor(parameters.map()), ctx));
  }

  /** authenticatorGetNextAssertion (CTAP 2.1 section 6.3), which continues this command's sequence. */
  public CommandHandler next() {
    return new CommandHandler() {
      @Override
      public CtapCommand command() {
        return CtapCommand.GET_NEXT_ASSERTION;
      }

      @Override
      public Optional<GetAssertionResponse> handle(CommandParameters parameters, OperationContext ctx) {
        parameters.none();
        return Optional.of(handleNext());
      }
    };
  }

  public GetAssertionResponse handle(GetAssertionRequest req, OperationContext ctx) {
    UserRequest ask = UserRequest.of(UserRequest.Kind.GET_ASSERTION, req.rpId());
    // (An allowList longer than maxCredentialCountInList: CTAP2_ERR_LIMIT_EXCEEDED.)
    UserChecks.checkListLength(env, req.allowList());

    // 1.-2. A zero-length pinUvAuthParam asks for a touch; with a pinUvAuthParam,
    // pinUvAuthProtocol must be present and supported.
    UserChecks.steps1and2(env, req.pinUvAuthParam(), req.pinUvAuthProtocol(), ask, ctx);

    // 3. The response's "uv" and "up" bits start false.

    // 4. Options: "uv" needs an enabled built-in UV method (CTAP2_ERR_INVALID_OPTION), "rk" is not
    // an option of getAssertion (CTAP2_ERR_UNSUPPORTED_OPTION), "up" defaults to true.
    boolean uvRequested = UserChecks.uvOption(env, req.pinUvAuthParam(), req.uv());
    if (req.rk().isPresent()) {
      throw new CtapException(CtapStatus.CTAP2_ERR_UNSUPPORTED_OPTION, "rk is not an option of getAssertion");
    }
    boolean up = req.up().orElse(true);

    // 5. If the alwaysUv option ID is present and true and the "up" option is true (a silent
    //    up=false probe is not affected):
    if (env.config().alwaysUv() && up) {
      // 5.1 Not protected by some form of user verification: CTAP2_ERR_PUAT_REQUIRED. 5.2 "uv"
      //     true: built-in UV (step 6.2). 5.3 Neither a pinUvAuthParam nor "uv": PUAT_REQUIRED.
      UserChecks.alwaysUv(env, req.pinUvAuthParam(), uvRequested);
    }

    // 6. User verification: the pinUvAuthToken (6.1, permission ga, bound to the rpId) or
    // built-in UV (6.2).
    UserChecks.Verification verified =
        UserChecks.verifyUser(
            env, req.pinUvAuthParam(), req.pinUvAuthProtocol(), uvRequested, req.clientDataHash(), Permission.GET_ASSERTION,
            req.rpId(), ctx);
    boolean uvFlag = verified.uv();

    // 7. The applicable credentials: those of the allowList made here for this rpId (7.1), else the
    // discoverable ones of the rpId (7.2); credProtect userVerificationRequired ones need the "uv"
    // bit (7.4), userVerificationOptionalWithCredentialIDList ones an allowList or the "uv" bit (7.5).
    Bytes rpIdHash = req.rpIdHash();
    List<Found> found = new ArrayList<>();
    if (!req.allowList().isEmpty()) {
      for (PublicKeyCredentialDescriptor d : req.allowList()) {
        Bytes id = d.id();
        Optional<Found> opened = lookUp(id, req.rpId(), rpIdHash);
        if (opened.isEmpty()) {
          continue;
        }
        Found f = opened.get();
        if (!env.extensions().applicable(f.states(), uvFlag, true)) {
          continue; // 7.4: an extension keeps this credential out of sight (credProtect)
        }
        found.add(f);
        break; // 11: with an allowList, any one applicable credential is used
      }
    } else {
      for (StoredCredential c : env.credentials().findByRpId(req.rpId())) {
        // The stored record is the credential: an ID this device did not seal (one the control API
        // added with an ID of its choosing) is opened from the record.
        Optional<CredentialIdCodec.Sealed> s = env.keys().codec().open(c.credentialId(), rpIdHash).or(() -> ControlState.sealedOf(c));
        if (s.isEmpty()) {
          continue;
        }
        Found f = new Found(c.credentialId(), s.get(), Optional.of(c));
        // 7.4-7.5: an extension may keep it out of sight (credProtect levels 2 and 3 without UV).
        if (env.extensions().applicable(f.states(), uvFlag, false)) {
          found.add(f);
        }
      }
    }
    if (found.isEmpty()) {
      // 7.6: none is CTAP2_ERR_NO_CREDENTIALS. The profile's quirk noCredentialsAfterTouch: most
      // keys wait for a touch first, so a page cannot probe silently; others answer at once.
      if (env.profile().quirks().noCredentialsAfterTouch() && up && !verified.userInteraction()) {
        UserPresence.Result r = env.presence().requestPresence(ask, ctx);
        if (r == UserPresence.Result.CANCELLED) {
          throw new CtapException(CtapStatus.CTAP2_ERR_KEEPALIVE_CANCEL);
        }
      }
      throw new CtapException(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
    }

    // 8.-9. User presence when "up" is true: built-in UV or the token's user-present flag count as
    // evidence, else request a touch; then the token's flags and permissions (but lbw) are cleared.
    boolean upFlag = false;
    if (up) {
      UserChecks.requirePresence(env, verified, ask, ctx);
      upFlag = true;
    }

    // 10. Extensions: every registered one runs for each assertion (this one and those of
    // getNextAssertion), see assertion(); inputs of others are ignored.

    int flags = (upFlag ? AuthenticatorData.UP : 0) | (uvFlag ? AuthenticatorData.UV : 0);
    GetAssertionResponse resp = assertion(req, rpIdHash, found.get(0), flags, found.size(), req.allowList().isEmpty());
    // 12. Without an allowList and with several credentials (newest first): remember the request
    // and the rest, and start the getNextAssertion timer.
    if (found.size() > 1) {
      env.session()
          .stateful()
          .begin(
              Set.of(CtapCommand.GET_NEXT_ASSERTION),
              new NextState(req, new ArrayList<>(found.subList(1, found.size())), flags),
              NEXT_ASSERTION_TIMEOUT);
    }
    return resp;
  }

  /**
   * An allowList entry: an ID this device sealed for this RP (a discoverable one still in the store,
   * a non-discoverable one the control API has not removed), else a stored credential of this RP
   * or a non-discoverable one the control API injected; empty for anything else.
   */
  private Optional<Found> lookUp(Bytes id, String rpId, Bytes rpIdHash) {
    Optional<CredentialIdCodec.Sealed> s = env.keys().codec().open(id, rpIdHash);
    if (s.isPresent()) {
      if (s.get().discoverable()) {
        // deleted or overwritten: gone
        return env.credentials().find(id).map(c -> new Found(id, s.get(), Optional.of(c)));
      }
      return env.control().revoked(id) ? Optional.empty() : Optional.of(new Found(id, s.get(), Optional.empty()));
    }
    Optional<StoredCredential> stored = env.credentials().find(id).filter(c -> c.rpId().equals(rpId));
    if (stored.isPresent()) {
      return ControlState.sealedOf(stored.get()).map(k -> new Found(id, k, stored));
    }
    return env.control().injected(id, rpIdHash).map(k -> new Found(id, k, Optional.empty(), true));
  }

  /** authenticatorGetNextAssertion (CTAP 2.1 section 6.3). */
  GetAssertionResponse handleNext() {
    // 1.-3. Remembered getAssertion parameters with credentials left, within the 30 s timer, else
    // CTAP2_ERR_NOT_ALLOWED; any other command in between has ended them. 7. The timer restarts.
    NextState next =
        env.session()
            .stateful()
            .continueWith(CtapCommand.GET_NEXT_ASSERTION, NextState.class)
            .orElseThrow(() -> new CtapException(CtapStatus.CTAP2_ERR_NOT_ALLOWED));
    Found f = next.remaining().remove(0);
    if (next.remaining().isEmpty()) {
      env.session().stateful().end();
    }
    // 4.-6. The next credential (8.: the counter moves on), its user entity, signed with the same
    // flags and clientDataHash.
    return assertion(next.request(), next.request().rpIdHash(), f, next.flags(), 1, true);
  }

  private GetAssertionResponse assertion(
      GetAssertionRequest req, Bytes rpIdHash, Found f, int flags, int numberOfCredentials, boolean discoverableLookup) {
    int fl = flags;
    boolean be = f.stored().map(StoredCredential::backupEligible).orElse(f.sealed().backupEligible());
    boolean bs = f.stored().map(StoredCredential::backupState).orElse(be && env.profile().credentials().backupState());
    // What the control API set for a non-discoverable credential (setCredentialProperties, or an
    // injected one's own flags).
    if (f.stored().isEmpty()) {
      Optional<ControlState.Flags> set = env.control().flags(f.credentialId());
      if (set.isPresent()) {
        be = set.get().backupEligible();
        bs = set.get().backupState();
      }
    }
    ResponseOverrides overrides = env.control().overrides();
    if (overrides.badUv()) {
      fl &= ~AuthenticatorData.UV;
    }
    if (overrides.badUp()) {
      fl &= ~AuthenticatorData.UP;
    }
    if (be) {
      fl |= AuthenticatorData.BE;
    }
    if (bs) {
      fl |= AuthenticatorData.BS;
    }
    // 10. The extension outputs first: an extension's error (hmac-secret's) leaves the counter alone.
    Map<Object, Object> outputs =
        env.extensions()
            .getAssertion(
                req, f.credentialId(), f.sealed().key(), f.states(), (flags & AuthenticatorData.UV) != 0,
                (flags & AuthenticatorData.UP) != 0);
    long counter =
        f.injected() ? env.control().nextInjectedCounter(f.credentialId()) : SignCounters.next(env, f.credentialId(), f.stored());
    Bytes authData =
        new AuthenticatorData(rpIdHash, fl, counter, Optional.empty(), outputs.isEmpty() ? Optional.empty() : Optional.of(new CborMap(outputs)))
            .encode();
    // 13. Sign authenticatorData || clientDataHash with the selected credential.
    byte[] toSign = new byte[authData.length() + req.clientDataHash().length()];
    System.arraycopy(authData.unsafeArray(), 0, toSign, 0, authData.length());
    System.arraycopy(req.clientDataHash().unsafeArray(), 0, toSign, authData.length(), req.clientDataHash().length());
    CredentialKey key = f.sealed().key();
    // Chromium's bogus signature (virtual_ctap2_device.cc): the one byte 0x00.
    Bytes signature = overrides.bogusSignature() ? Bytes.wrap(new byte[] {0x00}) : key.sign(toSign);
    env.control().asserted(f.credentialId(), req.rpId(), f.stored().map(StoredCredential::userId), counter, be, bs);

    Optional<PublicKeyCredentialUserEntity> user = Optional.empty();
    if (f.stored().isPresent()) {
      StoredCredential c = f.stored().get();
      // User-identifiable information only after user verification (CTAP 2.1 6.2.2, member user).
      boolean identifiable = (flags & AuthenticatorData.UV) != 0 && discoverableLookup;
      user =
          Optional.of(
              identifiable
                  ? new PublicKeyCredentialUserEntity(c.userId(), c.userName(), c.userDisplayName(), c.userIcon())
                  : PublicKeyCredentialUserEntity.of(c.userId()));
    }
    // 10. Response members the extensions fill outside authenticatorData (largeBlobKey, 0x07).
    Optional<Bytes> largeBlobKey =
        env.extensions()
            .getAssertionResponse(req, f.credentialId(), f.states(), (flags & AuthenticatorData.UV) != 0, (flags & AuthenticatorData.UP) != 0)
            .largeBlobKey();
    return new GetAssertionResponse(
        Optional.of(PublicKeyCredentialDescriptor.publicKey(f.credentialId())),
        authData,
        signature,
        user,
        numberOfCredentials > 1 ? Optional.of((long) numberOfCredentials) : Optional.empty(),
        Optional.empty(),
        largeBlobKey,
        Optional.empty());
  }
}
