package dev.softkey.core.ctap1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.OperationContext;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.model.AuthenticatorData;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.testing.CtapTestClient;
import dev.softkey.core.testing.TestDevices;
import dev.softkey.core.testing.TestDevices.Device;
import java.io.ByteArrayInputStream;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CTAP1/U2F (FIDO U2F Raw Message Formats v1.2), checked with the JDK's own ECDSA. */
class U2fHandlerTest {
  private final Device dev = TestDevices.generic();
  private final byte[] challenge = CtapTestClient.hash("challenge").toArray();
  private final byte[] app = CtapTestClient.hash("example.com").toArray();

  private byte[] send(byte[] apdu) {
    return dev.authenticator().processU2f(apdu, OperationContext.INTERNAL);
  }

  private static byte[] apdu(int ins, int p1, byte[] data) {
    // Extended-length encoding, as libfido2 and python-fido2 send it.
    byte[] a = new byte[7 + data.length + 2];
    a[1] = (byte) ins;
    a[2] = (byte) p1;
    a[5] = (byte) (data.length >> 8);
    a[6] = (byte) data.length;
    System.arraycopy(data, 0, a, 7, data.length);
    return a;
  }

  private static int sw(byte[] r) {
    return ((r[r.length - 2] & 0xFF) << 8) | (r[r.length - 1] & 0xFF);
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }

  record Registration(byte[] publicKey, byte[] keyHandle) {}

  private Registration register() throws Exception {
    byte[] r = send(apdu(0x01, 0, concat(challenge, app)));
    assertThat(sw(r)).isEqualTo(0x9000);
    assertThat(r[0]).isEqualTo((byte) 0x05);
    byte[] pub = Arrays.copyOfRange(r, 1, 66);
    int khLen = r[66] & 0xFF;
    byte[] kh = Arrays.copyOfRange(r, 67, 67 + khLen);
    var in = new ByteArrayInputStream(r, 67 + khLen, r.length - 2 - 67 - khLen);
    X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    int certLen = cert.getEncoded().length;
    byte[] sig = Arrays.copyOfRange(r, 67 + khLen + certLen, r.length - 2);
    Signature v = Signature.getInstance("SHA256withECDSA");
    v.initVerify(cert.getPublicKey());
    v.update(concat(new byte[] {0}, app, challenge, kh, pub));
    assertThat(v.verify(sig)).as("registration signature by the attestation certificate").isTrue();
    return new Registration(pub, kh);
  }

  private static PublicKey p256(byte[] point) throws Exception {
    byte[] prefix = HexFormat.of().parseHex("3059301306072a8648ce3d020106082a8648ce3d030107034200");
    return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(concat(prefix, point)));
  }

  private byte[] authData(Registration reg) {
    return concat(challenge, app, new byte[] {(byte) reg.keyHandle().length}, reg.keyHandle());
  }

  @Test
  void register_thenAuthenticateWithEnforcedPresence_signatureVerifies() throws Exception {
    Registration reg = register();
    byte[] r = send(apdu(0x02, 0x03, authData(reg)));
    assertThat(sw(r)).isEqualTo(0x9000);
    assertThat(r[0]).isEqualTo((byte) 1); // user present
    Signature v = Signature.getInstance("SHA256withECDSA");
    v.initVerify(p256(reg.publicKey()));
    v.update(concat(app, Arrays.copyOfRange(r, 0, 5), challenge));
    assertThat(v.verify(Arrays.copyOfRange(r, 5, r.length - 2))).isTrue();
    byte[] again = send(apdu(0x02, 0x03, authData(reg)));
    assertThat(Arrays.copyOfRange(again, 1, 5)).isNotEqualTo(Arrays.copyOfRange(r, 1, 5)); // counter moved
  }

  @Test
  void checkOnly_validHandle_returnsConditionsNotSatisfied() throws Exception {
    Registration reg = register();
    assertThat(sw(send(apdu(0x02, 0x07, authData(reg))))).isEqualTo(0x6985);
  }

  @Test
  void dontEnforce_signsWithoutUserPresence() throws Exception {
    Registration reg = register();
    byte[] r = send(apdu(0x02, 0x08, authData(reg)));
    assertThat(sw(r)).isEqualTo(0x9000);
    assertThat(r[0]).isEqualTo((byte) 0);
  }

  @Test
  void handleOfAnotherApplication_returnsWrongData() throws Exception {
    Registration reg = register();
    byte[] other = concat(challenge, CtapTestClient.hash("other.example").toArray(), new byte[] {(byte) reg.keyHandle().length}, reg.keyHandle());
    assertThat(sw(send(apdu(0x02, 0x03, other)))).isEqualTo(0x6A80);
    assertThat(sw(send(apdu(0x02, 0x07, other)))).isEqualTo(0x6A80);
  }

  @Test
  void presenceDenied_returnsConditionsNotSatisfied() {
    Device denying = TestDevices.build(Profiles.defaultProfile(), Presence.deny());
    assertThat(sw(denying.authenticator().processU2f(apdu(0x01, 0, concat(challenge, app)), OperationContext.INTERNAL))).isEqualTo(0x6985);
  }

  @Test
  void version_wrongLength_unknownInstruction_badClass() {
    byte[] v = send(new byte[] {0, 0x03, 0, 0, 0, 0, 0});
    assertThat(new String(Arrays.copyOf(v, v.length - 2), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("U2F_V2");
    assertThat(sw(v)).isEqualTo(0x9000);
    assertThat(sw(send(apdu(0x01, 0, new byte[10])))).isEqualTo(0x6700);
    assertThat(sw(send(new byte[] {0, 0x01, 0, 0, 0, 0, 64}))).isEqualTo(0x6700); // Lc beyond the data
    assertThat(sw(send(apdu(0x44, 0, new byte[0])))).isEqualTo(0x6D00);
    byte[] cla = apdu(0x03, 0, new byte[0]);
    cla[0] = (byte) 0x80;
    assertThat(sw(send(cla))).isEqualTo(0x6E00);
  }

  /** A CTAP2 credential at credProtect userVerificationRequired (CTAP 2.1 section 12.1): U2F has no UV. */
  @Test
  void credProtectUserVerificationRequired_isWrongData_overU2f() {
    Map<Object, Object> mc = CtapTestClient.makeCredential("example.com", new byte[] {1}, List.of(-7L), null);
    mc.put(6L, CtapTestClient.map("credProtect", 3L));
    byte[] id = credentialId(dev.client().send(CtapCommand.MAKE_CREDENTIAL, mc).ok());
    byte[] req = concat(challenge, app, new byte[] {(byte) id.length}, id);
    assertThat(sw(send(apdu(0x02, 0x03, req)))).isEqualTo(0x6A80);
    assertThat(sw(send(apdu(0x02, 0x07, req)))).isEqualTo(0x6A80);
    // userVerificationOptionalWithCredentialIDList: the key handle is the list, so it signs.
    mc.put(6L, CtapTestClient.map("credProtect", 2L));
    byte[] listed = credentialId(dev.client().send(CtapCommand.MAKE_CREDENTIAL, mc).ok());
    assertThat(sw(send(apdu(0x02, 0x03, concat(challenge, app, new byte[] {(byte) listed.length}, listed))))).isEqualTo(0x9000);
  }

  private static byte[] credentialId(CborMap mc) {
    return AuthenticatorData.parse(mc.bytes(2)).attestedCredentialData().orElseThrow().credentialId().toArray();
  }

  @Test
  void u2fRegistration_isUsableWithCtap2GetAssertion() throws Exception {
    Registration reg = register();
    var r = dev.client().send(CtapCommand.GET_ASSERTION, CtapTestClient.getAssertion("example.com", List.of(Bytes.wrap(reg.keyHandle())), null)).ok();
    assertThat(r.bytes(3).length()).isGreaterThan(60);
  }
}
