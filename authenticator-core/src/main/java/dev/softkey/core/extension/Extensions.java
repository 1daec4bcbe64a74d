package dev.softkey.core.extension;

import dev.softkey.core.crypto.CredentialKey;
import dev.softkey.core.extension.AuthenticatorExtension.GetAssertionInput;
import dev.softkey.core.extension.AuthenticatorExtension.MakeCredentialInput;
import dev.softkey.core.extension.AuthenticatorExtension.MakeCredentialOutcome;
import dev.softkey.ctap.command.GetAssertionRequest;
import dev.softkey.ctap.command.GetInfoResponse;
import dev.softkey.ctap.command.MakeCredentialRequest;
import dev.softkey.ctap.model.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The registered extensions, in registration order, and the loops the two handlers run over them
 * at the spec's steps.
 */
public final class Extensions {
  private final List<AuthenticatorExtension> all;

  public Extensions(List<AuthenticatorExtension> extensions) {
    this.all = List.copyOf(extensions);
    Map<String, AuthenticatorExtension> seen = new LinkedHashMap<>();
    for (AuthenticatorExtension e : all) {
      if (seen.putIfAbsent(e.identifier(), e) != null) {
        throw new IllegalArgumentException("extension " + e.identifier() + " registered twice");
      }
    }
  }

  public static Extensions none() {
    return new Extensions(List.of());
  }

  public List<AuthenticatorExtension> all() {
    return all;
  }

  /** getInfo member 0x02 (left out when empty) and the members the extensions add. */
  public void contributeToInfo(GetInfoResponse.Builder info) {
    if (all.isEmpty()) {
      return;
    }
    List<String> ids = new ArrayList<>();
    for (AuthenticatorExtension e : all) {
      ids.add(e.identifier());
      e.contributeToInfo(info);
    }
    info.extensions(ids);
  }

  /**
   * What makeCredential step 15 produced: the states to keep with the credential and the
   * authenticator extension outputs (empty: no ED flag, no extensions in authenticatorData).
   *
   * @param withoutRoom the same with each extension's {@link MakeCredentialOutcome#withoutRoom()}
   *     where it has one, for a sealed ID that would be too long; empty when no extension has one
   */
  public record Made(Map<String, Bytes> states, Map<Object, Object> outputs, Optional<Made> withoutRoom) {
    public Made(Map<String, Bytes> states, Map<Object, Object> outputs) {
      this(states, outputs, Optional.empty());
    }
  }

  private static final byte[] CREDENTIAL_SECRET_LABEL =
      "softkey extension credential secret".getBytes(StandardCharsets.US_ASCII);

  /**
   * The secret extensions see for a credential: HMAC-SHA-256(private key encoding, label). As
   * random and as secret as the private key, which the sealed ID and the stored record both carry;
   * never logged.
   */
  public static Bytes credentialSecret(CredentialKey key) {
    // Bouncy Castle's HMac, not javax.crypto.Mac: this runs for every makeCredential and
    // getAssertion, and the JCA lookup cost more than the HMAC (bench ga/raw).
    HMac mac = new HMac(new SHA256Digest());
    mac.init(new KeyParameter(key.privateEncoding().unsafeArray()));
    mac.update(CREDENTIAL_SECRET_LABEL, 0, CREDENTIAL_SECRET_LABEL.length);
    byte[] out = new byte[mac.getMacSize()];
    mac.doFinal(out, 0);
    return Bytes.wrap(out);
  }

  /**
   * {@link #credentialSecret} computed once, and only when an extension asks for it: most requests
   * carry no hmac-secret input, and the HMAC was a tenth of makeCredential's work beside the key
   * generation (attestation none).
   */
  private static java.util.function.Supplier<Bytes> lazyCredentialSecret(CredentialKey key) {
    Bytes[] computed = new Bytes[1];
    return () -> {
      if (computed[0] == null) {
        computed[0] = credentialSecret(key);
      }
      return computed[0];
    };
  }

  /**
   * makeCredential step 15: every registered extension, with its input when the platform sent one.
   *
   * @param key the new credential's key (made before this step), for {@link #credentialSecret}
   */
  public Made makeCredential(MakeCredentialRequest request, boolean uv, boolean discoverable, CredentialKey key) {
    Map<String, Bytes> states = new TreeMap<>();
    Map<Object, Object> outputs = new LinkedHashMap<>();
    Map<String, Bytes> fallbackStates = new TreeMap<>();
    Map<Object, Object> fallbackOutputs = new LinkedHashMap<>();
    boolean fallback = false;
    java.util.function.Supplier<Bytes> secret = lazyCredentialSecret(key);
    for (AuthenticatorExtension e : all) {
      MakeCredentialOutcome o =
          e.makeCredential(new MakeCredentialInput(request.extension(e.identifier()), request, uv, discoverable, secret));
      o.state().ifPresent(s -> states.put(e.identifier(), s));
      o.output().ifPresent(out -> outputs.put(e.identifier(), out));
      fallback |= o.withoutRoom().isPresent();
      MakeCredentialOutcome f = o.withoutRoom().orElse(o);
      f.state().ifPresent(s -> fallbackStates.put(e.identifier(), s));
      f.output().ifPresent(out -> fallbackOutputs.put(e.identifier(), out));
    }
    // Outputs computed from the states all extensions made (hmac-secret-mc from hmac-secret's),
    // for the states kept and for those without room.
    for (AuthenticatorExtension e : all) {
      MakeCredentialInput in = new MakeCredentialInput(request.extension(e.identifier()), request, uv, discoverable, secret);
      e.makeCredentialOutput(in, java.util.Collections.unmodifiableMap(states)).ifPresent(out -> outputs.put(e.identifier(), out));
      if (fallback) {
        e.makeCredentialOutput(in, java.util.Collections.unmodifiableMap(fallbackStates))
            .ifPresent(out -> fallbackOutputs.put(e.identifier(), out));
      }
    }
    return new Made(states, outputs, fallback ? Optional.of(new Made(fallbackStates, fallbackOutputs)) : Optional.empty());
  }

  /** The registered extension with this identifier (credentialManagement reports some extensions' state). */
  public Optional<AuthenticatorExtension> find(String identifier) {
    return all.stream().filter(e -> e.identifier().equals(identifier)).findFirst();
  }

  /** makeCredential after step 16: the response members the extensions fill from the states they made. */
  public AuthenticatorExtension.ResponseMembers makeCredentialResponse(
      MakeCredentialRequest request, boolean uv, boolean discoverable, Map<String, Bytes> states) {
    AuthenticatorExtension.ResponseMembers out = AuthenticatorExtension.ResponseMembers.NONE;
    for (AuthenticatorExtension e : all) {
      out =
          out.or(
              e.makeCredentialResponse(
                  new MakeCredentialInput(request.extension(e.identifier()), request, uv, discoverable),
                  AuthenticatorExtension.stateOf(states, e)));
    }
    return out;
  }

  /** getAssertion step 10: the response members (outside authenticatorData) for one assertion. */
  public AuthenticatorExtension.ResponseMembers getAssertionResponse(
      GetAssertionRequest request, Bytes credentialId, Map<String, Bytes> states, boolean uv, boolean up) {
    AuthenticatorExtension.ResponseMembers out = AuthenticatorExtension.ResponseMembers.NONE;
    for (AuthenticatorExtension e : all) {
      out =
          out.or(
              e.getAssertionResponse(
                  new GetAssertionInput(
                      request.extension(e.identifier()), request, credentialId, AuthenticatorExtension.stateOf(states, e), uv, up)));
    }
    return out;
  }

  /** enumerateCredentials (CTAP 2.1 section 6.8.4): the response members for a stored credential's states. */
  public AuthenticatorExtension.ResponseMembers credentialManagementResponse(Map<String, Bytes> states) {
    AuthenticatorExtension.ResponseMembers out = AuthenticatorExtension.ResponseMembers.NONE;
    for (AuthenticatorExtension e : all) {
      out = out.or(e.credentialManagementResponse(AuthenticatorExtension.stateOf(states, e)));
    }
    return out;
  }

  /** getAssertion step 7 / makeCredential step 12: every extension lets the credential through. */
  public boolean applicable(Map<String, Bytes> states, boolean uv, boolean allowListPresent) {
    for (AuthenticatorExtension e : all) {
      if (!e.applicable(AuthenticatorExtension.stateOf(states, e), uv, allowListPresent)) {
        return false;
      }
    }
    return true;
  }

  /**
   * getAssertion step 10: the outputs for one assertion (empty: no ED flag).
   *
   * @param key the credential's key, for {@link #credentialSecret}
   */
  public Map<Object, Object> getAssertion(
      GetAssertionRequest request, Bytes credentialId, CredentialKey key, Map<String, Bytes> states, boolean uv, boolean up) {
    Map<Object, Object> outputs = new LinkedHashMap<>();
    java.util.function.Supplier<Bytes> secret = lazyCredentialSecret(key);
    for (AuthenticatorExtension e : all) {
      Optional<Object> out =
          e.getAssertion(
              new GetAssertionInput(
                  request.extension(e.identifier()), request, credentialId, AuthenticatorExtension.stateOf(states, e), uv, up,
                  secret));
      out.ifPresent(o -> outputs.put(e.identifier(), o));
    }
    return outputs;
  }
}
