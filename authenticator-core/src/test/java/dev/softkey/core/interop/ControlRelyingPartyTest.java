package dev.softkey.core.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.yubico.webauthn.AssertionRequest;
import com.yubico.webauthn.RegisteredCredential;
import com.yubico.webauthn.data.ByteArray;
import com.yubico.webauthn.data.UserVerificationRequirement;
import dev.softkey.core.control.DeviceControl;
import dev.softkey.core.control.ResponseOverrides;
import dev.softkey.core.control.VirtualCredential;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.AuthenticationResponse;
import dev.softkey.platform.WebAuthnException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The WebDriver-shaped flow of issue 11 at the engine: a credential made from a PKCS#8 key the
 * test generated, an assertion Yubico's RP library verifies with that key's public key (taken from
 * the JDK key pair, not from softkey), then removal (NotAllowedError, as a browser's), UV false on a
 * UV-required ceremony (NotAllowedError) and a bogus signature the RP rejects.
 */
class ControlRelyingPartyTest {
  private static final String RP_ID = "example.com";
  private static final String ORIGIN = "https://example.com";

  private static Bytes cose(ECPublicKey pub) {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(1L, 2L);
    m.put(3L, -7L);
    m.put(-1L, 1L);
    m.put(-2L, Bytes.wrap(unsigned32(pub.getW().getAffineX())));
    m.put(-3L, Bytes.wrap(unsigned32(pub.getW().getAffineY())));
    return Bytes.wrap(CborEncoder.encode(m));
  }

  private static byte[] unsigned32(BigInteger v) {
    byte[] b = v.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(32, b.length);
    System.arraycopy(b, b.length - n, out, 32 - n, n);
    return out;
  }

  @Test
  void injectedKey_verifiedByYubico_thenRemoved_thenUvFalse_thenBogusSignature() throws Exception {
    SoftkeyDevice device = SoftkeyDevice.open(SoftkeyDevice.bio(), 91);
    DeviceControl control = device.authenticator().control();
    YubicoRp yubico = new YubicoRp(RP_ID, Set.of(ORIGIN), CoseAlgorithm.ES256, device.rootCertificate(), false);

    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = g.generateKeyPair();
    Bytes id = Bytes.fromHex("c0ffee00112233445566778899aabbcc");
    control.addCredential(
        new VirtualCredential(
            id, true, RP_ID, Bytes.wrap(kp.getPrivate().getEncoded()), Optional.of(Bytes.wrap(YubicoRp.USER_HANDLE.getBytes())),
            0, false, false, Optional.of(YubicoRp.USERNAME), Optional.empty(), CoseAlgorithm.ES256));
    yubico.add(
        RegisteredCredential.builder()
            .credentialId(new ByteArray(id.toArray()))
            .userHandle(YubicoRp.USER_HANDLE)
            .publicKeyCose(new ByteArray(cose((ECPublicKey) kp.getPublic()).toArray()))
            .signatureCount(0)
            .build());

    // 1. A ceremony the RP library verifies with the test's own public key.
    AssertionRequest get = yubico.startAssertion(false, UserVerificationRequirement.DISCOURAGED);
    AuthenticationResponse auth = device.client().get(get.toCredentialsGetJson(), ORIGIN, Optional.empty());
    assertThat(yubico.finishAssertion(get, auth).isSuccess()).isTrue();
    assertThat(Arrays.equals(auth.rawId().toArray(), id.toArray())).isTrue();

    // 2. UV false: a UV-required ceremony fails as a browser's does.
    control.setUserVerified(false);
    AssertionRequest uvGet = yubico.startAssertion(false, UserVerificationRequirement.REQUIRED);
    assertThatThrownBy(() -> device.client().get(uvGet.toCredentialsGetJson(), ORIGIN, Optional.empty()))
        .isInstanceOfSatisfying(WebAuthnException.class, e -> assertThat(e.name()).isEqualTo(WebAuthnException.Name.NotAllowedError));
    control.setUserVerified(true);
    AssertionRequest uvGet2 = yubico.startAssertion(false, UserVerificationRequirement.REQUIRED);
    assertThat(yubico.finishAssertion(uvGet2, device.client().get(uvGet2.toCredentialsGetJson(), ORIGIN, Optional.empty())).isSuccess())
        .isTrue();

    // 3. A bogus signature: the RP rejects it.
    control.setResponseOverrides(new ResponseOverrides(true, false, false));
    AssertionRequest bogus = yubico.startAssertion(false, UserVerificationRequirement.DISCOURAGED);
    AuthenticationResponse bad = device.client().get(bogus.toCredentialsGetJson(), ORIGIN, Optional.empty());
    // (Yubico's library throws rather than answering isSuccess false: the one byte 0x00 is not DER.)
    assertThat(bad.signature()).isEqualTo(Bytes.wrap(new byte[] {0}));
    assertThatThrownBy(() -> yubico.finishAssertion(bogus, bad)).hasMessageContaining("signature");
    control.setResponseOverrides(ResponseOverrides.NONE);

    // 4. Removed: the next ceremony fails as a browser's would.
    assertThat(control.removeCredential(id)).isTrue();
    AssertionRequest after = yubico.startAssertion(false, UserVerificationRequirement.DISCOURAGED);
    assertThatThrownBy(() -> device.client().get(after.toCredentialsGetJson(), ORIGIN, Optional.empty()))
        .isInstanceOfSatisfying(WebAuthnException.class, e -> assertThat(e.name()).isEqualTo(WebAuthnException.Name.NotAllowedError));
  }
}
