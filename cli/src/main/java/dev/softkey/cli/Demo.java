package dev.softkey.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.AuthenticationResponse;
import dev.softkey.ctap.cose.CoseKeys;
import dev.softkey.ctap.model.AuthenticatorData;
import dev.softkey.platform.RegistrationResponse;
import dev.softkey.platform.WebAuthnClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;

/**
 * {@code softkey demo}: registers and signs in against a built-in relying party (origin {@value
 * #ORIGIN}) through the {@link WebAuthnClient}, printing the options sent, the key's answer and
 * each check made on it. The checks are the essential ones of WebAuthn L3 sections 7.1 and 7.2
 * (type, challenge, origin, rpIdHash, UP, the signatures), done with the JDK only; a real RP does
 * more.
 */
final class Demo {
  static final String ORIGIN = "https://demo.softkey.dev";
  static final String RP_ID = "demo.softkey.dev";

  private final WebAuthnClient client;
  private final PrintStream out;
  private final Random random;

  /** Thrown when the key's answer fails one of the demo RP's checks. */
  static final class DemoFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DemoFailure(String message) {
      super("demo: " + message, null, false, false);
    }
  }

  Demo(WebAuthnClient client, PrintStream out, OptionalLong seed) {
    this.client = client;
    this.out = out;
    this.random = seed.isPresent() ? new Random(seed.getAsLong()) : new SecureRandom();
  }

  private Bytes randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return Bytes.wrap(b);
  }

  void run(Optional<String> pin) {
    out.println("softkey demo: relying party " + RP_ID + ", origin " + ORIGIN + ", in-memory authenticator");
    out.println();

    // Registration
    Bytes regChallenge = randomBytes(32);
    Bytes userId = randomBytes(16);
    ObjectNode create = Json.MAPPER.createObjectNode();
    create.putObject("rp").put("id", RP_ID).put("name", "softkey demo");
    create.putObject("user").put("id", userId.base64Url()).put("name", "demo@softkey.dev").put("displayName", "Demo User");
    create.put("challenge", regChallenge.base64Url());
    var params = create.putArray("pubKeyCredParams");
    for (int alg : List.of(-7, -8, -257)) {
      params.addObject().put("type", "public-key").put("alg", alg);
    }
    create.putObject("authenticatorSelection").put("residentKey", "preferred").put("userVerification", "preferred");
    create.put("attestation", "direct");
    create.putObject("extensions").put("credProps", true);
    out.println("1. Registration: the RP sends these creation options");
    Json.print(out, create);

    RegistrationResponse reg = client.create(create.toString(), ORIGIN, pin);
    out.println("2. The key answers (RegistrationResponseJSON)");
    Json.print(out, reg.toJsonNode());

    out.println("3. The RP checks the registration");
    checkClientData(reg.clientDataJson(), "webauthn.create", regChallenge);
    AuthenticatorData regData = checkAuthData(reg.authenticatorData());
    PublicKey credentialKey = publicKey(reg);
    check(true, "credential public key: " + credentialKey.getAlgorithm() + " (COSE alg " + reg.publicKeyAlgorithm() + ")");
    checkAttestation(reg, credentialKey);
    out.println();

    // Authentication
    Bytes authChallenge = randomBytes(32);
    ObjectNode get = Json.MAPPER.createObjectNode();
    get.put("challenge", authChallenge.base64Url());
    get.put("rpId", RP_ID);
    get.putArray("allowCredentials").addObject().put("type", "public-key").put("id", reg.rawId().base64Url());
    get.put("userVerification", "preferred");
    out.println("4. Sign-in: the RP sends these request options");
    Json.print(out, get);

    AuthenticationResponse auth = client.get(get.toString(), ORIGIN, pin);
    out.println("5. The key answers (AuthenticationResponseJSON)");
    Json.print(out, auth.toJsonNode());

    out.println("6. The RP checks the assertion");
    check(auth.rawId().equals(reg.rawId()), "credential id is the registered one");
    checkClientData(auth.clientDataJson(), "webauthn.get", authChallenge);
    AuthenticatorData authData = checkAuthData(auth.authenticatorData());
    Bytes signed = Bytes.concat(auth.authenticatorData(), sha256(auth.clientDataJson()));
    check(CoseKeys.verify(credentialKey, reg.publicKeyAlgorithm(), signed, auth.signature()),
        "signature over authenticatorData || SHA-256(clientDataJSON) verifies with the registered key");
    check(authData.signCount() == 0 || authData.signCount() > regData.signCount(),
        "signCount " + authData.signCount() + " (registered " + regData.signCount() + ")");
    out.println();
    out.println("Demo complete: registered and signed in.");
  }

  private void check(boolean ok, String what) {
    if (!ok) {
      throw new DemoFailure("check failed: " + what);
    }
    out.println("   ok  " + what);
  }

  private void checkClientData(Bytes cdj, String type, Bytes challenge) {
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(cdj.unsafeArray());
    } catch (IOException e) {
      throw new DemoFailure("clientDataJSON is not JSON");
    }
    check(type.equals(n.path("type").asText()), "clientDataJSON type is " + type);
    check(challenge.base64Url().equals(n.path("challenge").asText()), "clientDataJSON challenge is the one sent");
    check(ORIGIN.equals(n.path("origin").asText()), "clientDataJSON origin is " + ORIGIN);
  }

  private AuthenticatorData checkAuthData(Bytes authData) {
    AuthenticatorData p = AuthenticatorData.parse(authData);
    check(p.rpIdHash().equals(sha256(Bytes.wrap(RP_ID.getBytes(StandardCharsets.UTF_8)))), "rpIdHash is SHA-256(\"" + RP_ID + "\")");
    check(p.userPresent(), "user present (UP flag)" + (p.userVerified() ? ", user verified (UV flag)" : ""));
    return p;
  }

  private static PublicKey publicKey(RegistrationResponse reg) {
    Bytes spki = reg.publicKey().orElseThrow(() -> new DemoFailure("the response has no publicKey"));
    String kty =
        switch ((int) reg.publicKeyAlgorithm()) {
          case -7, -35, -36 -> "EC";
          case -8 -> "Ed25519";
          case -257 -> "RSA";
          default -> throw new DemoFailure("unexpected algorithm " + reg.publicKeyAlgorithm());
        };
    try {
      return KeyFactory.getInstance(kty).generatePublic(new X509EncodedKeySpec(spki.toArray()));
    } catch (GeneralSecurityException e) {
      throw new DemoFailure("publicKey is not a valid " + kty + " SubjectPublicKeyInfo");
    }
  }

  private void checkAttestation(RegistrationResponse reg, PublicKey credentialKey) {
    CborMap att = CborDecoder.decodeMap(reg.attestationObject().toArray());
    String fmt = att.text("fmt");
    CborMap stmt = att.map("attStmt");
    Bytes signed = Bytes.concat(reg.authenticatorData(), sha256(reg.clientDataJson()));
    switch (fmt) {
      case "none" -> check(stmt.size() == 0, "attestation \"none\": empty statement");
      case "packed" -> {
        long alg = stmt.longValue("alg");
        Optional<List<Object>> x5c = stmt.optList("x5c");
        if (x5c.isPresent()) {
          X509Certificate cert = certificate((Bytes) x5c.get().get(0));
          check(CoseKeys.verify(cert.getPublicKey(), alg, signed, stmt.bytes("sig")),
              "packed attestation signature verifies with " + cert.getSubjectX500Principal().getName());
        } else {
          check(CoseKeys.verify(credentialKey, alg, signed, stmt.bytes("sig")), "packed self attestation verifies with the credential key");
        }
      }
      default -> out.println("   --  attestation format \"" + fmt + "\" not checked by the demo");
    }
  }

  private static X509Certificate certificate(Bytes der) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der.toArray()));
    } catch (GeneralSecurityException e) {
      throw new DemoFailure("x5c[0] is not a certificate");
    }
  }

  private static Bytes sha256(Bytes b) {
    try {
      return Bytes.wrap(MessageDigest.getInstance("SHA-256").digest(b.unsafeArray()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
