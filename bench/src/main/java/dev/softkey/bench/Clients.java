package dev.softkey.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.webauthn4j.data.AttestationConveyancePreference;
import com.webauthn4j.data.AuthenticatorAssertionResponse;
import com.webauthn4j.data.AuthenticatorAttestationResponse;
import com.webauthn4j.data.AuthenticatorSelectionCriteria;
import com.webauthn4j.data.PublicKeyCredential;
import com.webauthn4j.data.PublicKeyCredentialCreationOptions;
import com.webauthn4j.data.PublicKeyCredentialDescriptor;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialRequestOptions;
import com.webauthn4j.data.PublicKeyCredentialRpEntity;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.PublicKeyCredentialUserEntity;
import com.webauthn4j.data.ResidentKeyRequirement;
import com.webauthn4j.data.UserVerificationRequirement;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.data.extension.client.AuthenticationExtensionClientOutput;
import com.webauthn4j.data.extension.client.RegistrationExtensionClientOutput;
import com.webauthn4j.test.authenticator.webauthn.PackedAuthenticator;
import com.webauthn4j.test.authenticator.webauthn.WebAuthnAuthenticatorAdaptor;
import com.webauthn4j.test.client.ClientPlatform;
import dev.softkey.testkit.VirtualKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whole WebAuthn ceremonies in process, the same ones on both emulators: create() of a
 * non-discoverable ES256 credential with attestation "direct" (a packed statement with an x5c
 * chain), and get() naming that credential, user verification discouraged.
 *
 * <p>softkey: {@link VirtualKey}, options JSON in, response JSON out, through softkey's
 * WebAuthnClient, CTAP2 bytes and the real engine (with a getInfo per ceremony, as a browser
 * sends). webauthn4j-test: its {@link ClientPlatform} over a {@link PackedAuthenticator}, typed
 * options objects in and typed credentials out, built once; it parses and writes no JSON and
 * speaks no CTAP, so the comparison leaves softkey the larger share of work.
 *
 * <p>A create state is made fresh for each iteration: both emulators keep what they make in
 * memory, and a trial-long state would time a growing map as well. A ceremony runs far more code
 * than a signature, and its rate still climbs after 3 s: hence 5 warm-up iterations here.
 */
@Warmup(iterations = 5, time = 1)
public class Clients extends Throughput {
  static final String ORIGIN = "https://" + EngineOps.RP_ID;
  private static final byte[] USER_ID = {1, 2, 3, 4, 5, 6, 7, 8};
  private static final byte[] CHALLENGE = "bench-challenge-0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** PublicKeyCredentialCreationOptionsJSON, as a page passes it to navigator.credentials.create. */
  static final String CREATION_JSON =
      """
      {"rp": {"id": "%s", "name": "Bench"},
       "user": {"id": "%s", "name": "bench", "displayName": "Bench"},
       "challenge": "%s",
       "pubKeyCredParams": [{"type": "public-key", "alg": -7}],
       "authenticatorSelection": {"residentKey": "discouraged", "userVerification": "discouraged"},
       "attestation": "direct"}
      """
          .formatted(EngineOps.RP_ID, base64Url(USER_ID), base64Url(CHALLENGE));

  /** PublicKeyCredentialRequestOptionsJSON naming one credential. */
  static String requestJson(String credentialId) {
    return """
        {"rpId": "%s", "challenge": "%s",
         "allowCredentials": [{"type": "public-key", "id": "%s"}], "userVerification": "discouraged"}
        """
        .formatted(EngineOps.RP_ID, base64Url(CHALLENGE), credentialId);
  }

  static PublicKeyCredentialCreationOptions creationOptions() {
    return new PublicKeyCredentialCreationOptions(
        new PublicKeyCredentialRpEntity(EngineOps.RP_ID, "Bench"),
        new PublicKeyCredentialUserEntity(USER_ID, "bench", "Bench"),
        new DefaultChallenge(CHALLENGE),
        List.of(new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.ES256)),
        null,
        List.of(),
        new AuthenticatorSelectionCriteria(null, ResidentKeyRequirement.DISCOURAGED, UserVerificationRequirement.DISCOURAGED),
        AttestationConveyancePreference.DIRECT,
        null);
  }

  static PublicKeyCredentialRequestOptions requestOptions(byte[] credentialId) {
    return new PublicKeyCredentialRequestOptions(
        new DefaultChallenge(CHALLENGE),
        null,
        EngineOps.RP_ID,
        List.of(new PublicKeyCredentialDescriptor(PublicKeyCredentialType.PUBLIC_KEY, credentialId, null)),
        UserVerificationRequirement.DISCOURAGED,
        null);
  }

  static ClientPlatform webauthn4jPlatform() {
    return new ClientPlatform(new Origin(ORIGIN), new WebAuthnAuthenticatorAdaptor(new PackedAuthenticator()));
  }

  /** The credential ID ("id", base64url) of a RegistrationResponseJSON. */
  static String credentialId(String registrationJson) {
    try {
      return new ObjectMapper().readTree(registrationJson).path("id").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String base64Url(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** A softkey key and a webauthn4j platform for create(), fresh each iteration. */
  @State(Scope.Thread)
  public static class Creating {
    VirtualKey key;
    ClientPlatform platform;
    PublicKeyCredentialCreationOptions options;

    @Setup(Level.Iteration)
    public void setUp() {
      key = VirtualKey.builder().build();
      platform = webauthn4jPlatform();
      options = creationOptions();
    }

    @TearDown(Level.Iteration)
    public void tearDown() {
      key.close();
    }
  }

  /** A softkey key and a webauthn4j platform holding one credential each, for get(). */
  @State(Scope.Thread)
  public static class Getting {
    VirtualKey key;
    String requestJson;
    ClientPlatform platform;
    PublicKeyCredentialRequestOptions options;

    @Setup(Level.Trial)
    public void setUp() {
      key = VirtualKey.builder().build();
      requestJson = requestJson(credentialId(key.create(CREATION_JSON, ORIGIN)));
      platform = webauthn4jPlatform();
      options = requestOptions(platform.create(creationOptions()).getRawId());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      key.close();
    }
  }

  /** softkey: navigator.credentials.create() through VirtualKey. */
  @Benchmark
  public String softkeyCreate(Creating s) {
    return s.key.create(CREATION_JSON, ORIGIN);
  }

  /** softkey: navigator.credentials.get() through VirtualKey. */
  @Benchmark
  public String softkeyGet(Getting s) {
    return s.key.get(s.requestJson, ORIGIN);
  }

  /** webauthn4j-test: ClientPlatform.create over its packed model authenticator. */
  @Benchmark
  public PublicKeyCredential<AuthenticatorAttestationResponse, RegistrationExtensionClientOutput> webauthn4jCreate(Creating s) {
    return s.platform.create(s.options);
  }

  /** webauthn4j-test: ClientPlatform.get over its packed model authenticator. */
  @Benchmark
  public PublicKeyCredential<AuthenticatorAssertionResponse, AuthenticationExtensionClientOutput> webauthn4jGet(Getting s) {
    return s.platform.get(s.options);
  }
}
