package dev.softkey.core.ctap2.getassertion;

import dev.softkey.core.OperationContext;
import dev.softkey.core.crypto.CredentialIdCodec;
import dev.softkey.core.crypto.CredentialKey;
import dev.softkey.core.ctap2.AuthenticatorEnv;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.core.ctap2.PinUvChecks;
import dev.softkey.core.ctap2.SignCounters;
import dev.softkey.ctap.model.AuthenticatorData;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.core.presence.UserPresence;
import dev.softkey.core.presence.UserRequest;
import dev.softkey.core.store.StoredCredential;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * authenticatorGetAssertion (CTAP 2.1 section 6.2.2) and authenticatorGetNextAssertion (6.3). The
 * handler keeps the getNextAssertion state; the dispatcher clears it when another command arrives.
 */
public final class GetAssertionHandler {
  /** CTAP 2.1 6.3: the getNextAssertion timer. */
  public static final Duration NEXT_ASSERTION_TIMEOUT = Duration.ofSeconds(30);

  private final AuthenticatorEnv env;
  private NextState next;

  /** One credential found for the request, with its parts opened. */
  private record Found(Bytes credentialId, CredentialIdCodec.Sealed sealed, Optional<StoredCredential> stored) {}

  private record NextState(
      GetAssertionRequest request, List<Found> remaining, int flags, int total, long startedMillis) {}

  public GetAssertionHandler(AuthenticatorEnv env) {
    this.env = env;
  }

  /** Forgets a pending getNextAssertion sequence. */
  public void clearState() {
    next = null;
  }

  public Map<Object, Object> handle(GetAssertionRequest req, OperationContext ctx) {
    next = null;
    UserRequest ask = UserRequest.of(UserRequest.Kind.GET_ASSERTION, req.rpId());

    // 1-2. Zero-length pinUvAuthParam; protocol checks.
    PinUvChecks.steps1and2(env, req.pinUvAuthParam(), req.pinUvAuthProtocol(), ask, ctx);

    // 3. Flags start false. 4. Options.
    boolean uvFlag = false;
    boolean uv = req.pinUvAuthParam().isEmpty() && req.uv().orElse(false);
    if (uv && !env.pin().builtInUvEnabled()) {
      throw new CtapException(CtapStatus.CTAP2_ERR_INVALID_OPTION, "no built-in user verification");
    }
    if (req.rk().isPresent()) {
      throw new CtapException(CtapStatus.CTAP2_ERR_UNSUPPORTED_OPTION, "rk is not an option of getAssertion");
    }
    boolean up = req.up().orElse(true);

    // 6. User verification.
    boolean upFromBuiltInUv = false;
    if (req.pinUvAuthParam().isPresent()) {
      PinUvChecks.verifyTokenFor(
          env, req.pinUvAuthProtocol().get(), req.clientDataHash(), req.pinUvAuthParam().get(), Permission.GET_ASSERTION, req.rpId());
      uvFlag = true;
    } else if (uv) {
      env.pin().performBuiltInUv(req.rpId(), ctx);
      uvFlag = true;
      upFromBuiltInUv = true;
    }

    // 7. Locate the applicable credentials.
    Bytes rpIdHash = req.rpIdHash();
    List<Found> found = new ArrayList<>();
    if (!req.allowList().isEmpty()) {
      for (Bytes id : req.allowList()) {
        Optional<CredentialIdCodec.Sealed> s = env.keys().codec().open(id, rpIdHash);
        if (s.isEmpty()) {
          continue;
        }
        Optional<StoredCredential> stored = Optional.empty();
        if (s.get().discoverable()) {
          stored = env.credentials().find(id);
          if (stored.isEmpty()) {
            continue; // deleted or overwritten
          }
        }
        // credProtect userVerificationRequired needs UV even with an allow list.
        if (s.get().credProtect() == 3 && !uvFlag) {
          continue;
        }
        found.add(new Found(id, s.get(), stored));
        break; // 10: with an allowList, one credential is used
      }
    } else {
      for (StoredCredential c : env.credentials().findByRpId(req.rpId())) {
        Optional<CredentialIdCodec.Sealed> s = env.keys().codec().open(c.credentialId(), rpIdHash);
        if (s.isEmpty()) {
          continue;
        }
        // credProtect levels 2 and 3 hide discoverable credentials without UV.
        if (c.credProtect() >= 2 && !uvFlag) {
          continue;
        }
        found.add(new Found(c.credentialId(), s.get(), Optional.of(c)));
      }
    }
    if (found.isEmpty()) {
      // The profile's quirk noCredentialsAfterTouch: most keys wait for a touch before saying
      // "not registered", so a page cannot probe silently; others answer at once.
      if (env.profile().quirks().noCredentialsAfterTouch() && up && !upFromBuiltInUv) {
        UserPresence.Result r = env.presence().requestPresence(ask, ctx);
        if (r == UserPresence.Result.CANCELLED) {
          throw new CtapException(CtapStatus.CTAP2_ERR_KEEPALIVE_CANCEL);
        }
      }
      throw new CtapException(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
    }

    // 8. User presence.
    boolean upFlag = false;
    if (up) {
      boolean presenceDone = upFromBuiltInUv || (req.pinUvAuthParam().isPresent() && env.pin().tokenUserPresent());
      if (!presenceDone) {
        PinUvChecks.requireUp(env, ask, ctx);
      }
      upFlag = true;
      if (req.pinUvAuthParam().isPresent()) {
        env.pin().clearTokenUserPresent();
        env.pin().clearTokenUserVerified();
        env.pin().clearTokenPermissionsExceptLbw();
      }
    }

    // 9. Extensions: none supported yet, ignored.

    int flags = (upFlag ? AuthenticatorData.UP : 0) | (uvFlag ? AuthenticatorData.UV : 0);
    Map<Object, Object> resp = assertion(req, found.get(0), flags, found.size(), req.allowList().isEmpty());
    // 11. Several discoverable credentials: remember the rest for getNextAssertion.
    if (found.size() > 1) {
      next = new NextState(req, new ArrayList<>(found.subList(1, found.size())), flags, found.size(), env.clock().millis());
    }
    return resp;
  }

  /** authenticatorGetNextAssertion (CTAP 2.1 section 6.3). */
  public Map<Object, Object> handleNext() {
    // 1-3. There must be a pending sequence, within its 30 s timer, with credentials left.
    if (next == null || next.remaining().isEmpty()) {
      next = null;
      throw new CtapException(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
    }
    if (env.clock().millis() - next.startedMillis() > NEXT_ASSERTION_TIMEOUT.toMillis()) {
      next = null;
      throw new CtapException(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
    }
    Found f = next.remaining().remove(0);
    // 5. Reset the timer; sign with the same flags and clientDataHash.
    next = new NextState(next.request(), next.remaining(), next.flags(), next.total(), env.clock().millis());
    Map<Object, Object> resp = assertion(next.request(), f, next.flags(), 1, true);
    if (next.remaining().isEmpty()) {
      next = null;
    }
    return resp;
  }

  private Map<Object, Object> assertion(
      GetAssertionRequest req, Found f, int flags, int numberOfCredentials, boolean discoverableLookup) {
    Bytes rpIdHash = req.rpIdHash();
    int fl = flags;
    boolean be = f.stored().map(StoredCredential::backupEligible).orElse(f.sealed().backupEligible());
    boolean bs = f.stored().map(StoredCredential::backupState).orElse(be && env.profile().credentials().backupState());
    if (be) {
      fl |= AuthenticatorData.BE;
    }
    if (bs) {
      fl |= AuthenticatorData.BS;
    }
    long counter = SignCounters.next(env, f.credentialId(), f.stored());
    Bytes authData = new AuthenticatorData(rpIdHash, fl, counter, Optional.empty(), Optional.empty()).encode();
    // 12. Sign authenticatorData || clientDataHash.
    byte[] toSign = new byte[authData.length() + req.clientDataHash().length()];
    System.arraycopy(authData.unsafeArray(), 0, toSign, 0, authData.length());
    System.arraycopy(req.clientDataHash().unsafeArray(), 0, toSign, authData.length(), req.clientDataHash().length());
    CredentialKey key = f.sealed().key();
    Bytes signature = key.sign(toSign);

    Map<Object, Object> resp = new LinkedHashMap<>();
    Map<Object, Object> cred = new LinkedHashMap<>();
    cred.put("id", f.credentialId());
    cred.put("type", "public-key");
    resp.put(0x01L, cred); // credential
    resp.put(0x02L, authData); // authData
    resp.put(0x03L, signature); // signature
    if (f.stored().isPresent()) {
      StoredCredential c = f.stored().get();
      Map<Object, Object> user = new LinkedHashMap<>();
      user.put("id", c.userId());
      // User-identifiable information only after user verification (CTAP 2.1 6.2.2, member user).
      if ((flags & AuthenticatorData.UV) != 0 && discoverableLookup) {
        c.userName().ifPresent(n -> user.put("name", n));
        c.userDisplayName().ifPresent(n -> user.put("displayName", n));
      }
      resp.put(0x04L, user); // user
    }
    if (numberOfCredentials > 1) {
      resp.put(0x05L, (long) numberOfCredentials); // numberOfCredentials
    }
    return resp;
  }
}
