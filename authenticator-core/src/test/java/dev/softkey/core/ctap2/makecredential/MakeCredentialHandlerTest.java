package dev.softkey.core.ctap2.makecredential;

import static dev.softkey.core.testing.CtapTestClient.makeCredential;
import static dev.softkey.core.testing.CtapTestClient.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.testing.CtapTestClient;
import dev.softkey.core.testing.TestDevices;
import dev.softkey.core.testing.TestDevices.Device;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MakeCredentialHandlerTest {
  private final Device dev = TestDevices.generic();

  private CtapTestClient.Response mc(Map<Object, Object> params) {
    return dev.client().send(CtapCommand.MAKE_CREDENTIAL, params);
  }

  static Bytes credentialIdOf(CborMap resp) {
    byte[] ad = resp.bytes(2).toArray();
    int len = ((ad[53] & 0xFF) << 8) | (ad[54] & 0xFF);
    return Bytes.of(ad, 55, len);
  }

  @Test
  void createsNonDiscoverableCredentialWithAttestedData() {
    CborMap r = mc(makeCredential("example.com", new byte[] {1, 2, 3}, List.of(-7L), null)).ok();
    assertThat(r.text(1)).isEqualTo("packed");
    assertThat(r.map(3).list("x5c")).hasSize(2); // batch attestation by default: [batch, vendor intermediate]
    byte[] ad = r.bytes(2).toArray();
    assertThat(Bytes.of(ad, 0, 32)).isEqualTo(CtapTestClient.hash("example.com"));
    assertThat(ad[32] & 0x41).isEqualTo(0x41); // UP and AT
    assertThat(ad[32] & 0x04).isZero(); // no UV without PIN/UV
    ByteBuffer b = ByteBuffer.wrap(ad, 37, 16);
    assertThat(new UUID(b.getLong(), b.getLong())).isEqualTo(Profiles.defaultProfile().identity().aaguid());
    Bytes id = credentialIdOf(r);
    CborDecoder.Prefix cose = CborDecoder.decodePrefix(ad, 55 + id.length());
    CborMap key = (CborMap) cose.value();
    assertThat(key.longValue(3)).isEqualTo(-7);
    assertThat(55 + id.length() + cose.length()).isEqualTo(ad.length);
    assertThat(dev.store().count()).isZero(); // non-resident credentials are not stored
  }

  @Test
  void step3_picksFirstSupportedAlgorithmInOrder() {
    CborMap r = mc(makeCredential("example.com", new byte[] {1}, List.of(-999L, -8L, -7L), null)).ok();
    byte[] ad = r.bytes(2).toArray();
    int idLen = credentialIdOf(r).length();
    CborMap key = (CborMap) CborDecoder.decodePrefix(ad, 55 + idLen).value();
    assertThat(key.longValue(3)).isEqualTo(-8);
  }

  @Test
  void step3_noSupportedAlgorithm_returnsUnsupportedAlgorithm() {
    assertThat(mc(makeCredential("example.com", new byte[] {1}, List.of(-999L), null)).status())
        .isEqualTo(CtapStatus.CTAP2_ERR_UNSUPPORTED_ALGORITHM);
  }

  @Test
  void step5_upFalse_returnsInvalidOption() {
    assertThat(mc(makeCredential("example.com", new byte[] {1}, List.of(-7L), map("up", false))).status())
        .isEqualTo(CtapStatus.CTAP2_ERR_INVALID_OPTION);
  }

  @Test
  void step5_uvWithoutBuiltInUv_returnsInvalidOption() {
    assertThat(mc(makeCredential("example.com", new byte[] {1}, List.of(-7L), map("uv", true))).status())
        .isEqualTo(CtapStatus.CTAP2_ERR_INVALID_OPTION);
  }

  @Test
  void step2_pinUvAuthParamWithoutProtocol_returnsMissingParameter() {
    Map<Object, Object> p = makeCredential("example.com", new byte[] {1}, List.of(-7L), null);
    p.put(8L, new byte[16]);
    assertThat(mc(p).status()).isEqualTo(CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
  }

  @Test
  void step2_unsupportedProtocol_returnsInvalidParameter() {
    Map<Object, Object> p = makeCredential("example.com", new byte[] {1}, List.of(-7L), null);
    p.put(8L, new byte[16]);
    p.put(9L, 7L);
    assertThat(mc(p).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
  }

  @Test
  void step1_zeroLengthPinUvAuthParam_touchThenPinNotSet() {
    Map<Object, Object> p = makeCredential("example.com", new byte[] {1}, List.of(-7L), null);
    p.put(8L, new byte[0]);
    p.put(9L, 2L);
    assertThat(mc(p).status()).isEqualTo(CtapStatus.CTAP2_ERR_PIN_NOT_SET);
  }

  @Test
  void step9_enterpriseAttestation_returnsInvalidParameter() {
    Map<Object, Object> p = makeCredential("example.com", new byte[] {1}, List.of(-7L), null);
    p.put(0x0AL, 1L);
    assertThat(mc(p).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
  }

  @Test
  void step12_excludedCredential_returnsCredentialExcluded() {
    Bytes id = credentialIdOf(mc(makeCredential("example.com", new byte[] {1}, List.of(-7L), null)).ok());
    Map<Object, Object> p = makeCredential("example.com", new byte[] {2}, List.of(-7L), null);
    p.put(5L, List.of(map("id", id, "type", "public-key")));
    assertThat(mc(p).status()).isEqualTo(CtapStatus.CTAP2_ERR_CREDENTIAL_EXCLUDED);
  }

  @Test
  void step12_credentialOfAnotherRp_isNotExcluded() {
    Bytes id = credentialIdOf(mc(makeCredential("other.example", new byte[] {1}, List.of(-7L), null)).ok());
    Map<Object, Object> p = makeCredential("example.com", new byte[] {2}, List.of(-7L), null);
    p.put(5L, List.of(map("id", id, "type", "public-key"), map("id", new byte[70], "type", "public-key")));
    assertThat(mc(p).status()).isEqualTo(CtapStatus.CTAP2_OK);
  }

  @Test
  void step14_presenceDenied_returnsOperationDenied() {
    Device d = TestDevices.build(Profiles.defaultProfile(), Presence.deny());
    assertThat(d.client().send(CtapCommand.MAKE_CREDENTIAL, makeCredential("example.com", new byte[] {1}, List.of(-7L), null)).status())
        .isEqualTo(CtapStatus.CTAP2_ERR_OPERATION_DENIED);
  }

  @Test
  void step17_residentKeyIsStoredAndReplacesSameUser() {
    mc(makeCredential("example.com", new byte[] {1}, List.of(-7L), map("rk", true))).ok();
    mc(makeCredential("example.com", new byte[] {1}, List.of(-7L), map("rk", true))).ok();
    mc(makeCredential("example.com", new byte[] {2}, List.of(-7L), map("rk", true))).ok();
    assertThat(dev.store().findByRpId("example.com")).hasSize(2);
  }

  @Test
  void step17_storeFull_returnsKeyStoreFull() {
    var small = Profiles.defaultProfile().toBuilder().id("small").maxResidentCredentials(1).build();
    Device d = TestDevices.build(small, Presence.approve());
    d.client().send(CtapCommand.MAKE_CREDENTIAL, makeCredential("a.example", new byte[] {1}, List.of(-7L), map("rk", true))).ok();
    assertThat(d.client().send(CtapCommand.MAKE_CREDENTIAL, makeCredential("b.example", new byte[] {1}, List.of(-7L), map("rk", true))).status())
        .isEqualTo(CtapStatus.CTAP2_ERR_KEY_STORE_FULL);
  }

  @Test
  void missingClientDataHash_returnsMissingParameter() {
    Map<Object, Object> p = makeCredential("example.com", new byte[] {1}, List.of(-7L), null);
    p.remove(1L);
    assertThat(mc(p).status()).isEqualTo(CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
  }

  @Test
  void rpOfWrongType_returnsUnexpectedType() {
    Map<Object, Object> p = makeCredential("example.com", new byte[] {1}, List.of(-7L), null);
    p.put(2L, "example.com");
    assertThat(mc(p).status()).isEqualTo(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
  }

  @Test
  void userIdLongerThan64Bytes_returnsInvalidLength() {
    assertThat(mc(makeCredential("example.com", new byte[65], List.of(-7L), null)).status())
        .isEqualTo(CtapStatus.CTAP1_ERR_INVALID_LENGTH);
  }

  @Test
  void everyAlgorithmOfTheProfileWorks() {
    for (long alg : List.of(-7L, -8L, -35L, -257L)) {
      CborMap r = mc(makeCredential("example.com", new byte[] {1}, List.of(alg), null)).ok();
      Bytes id = credentialIdOf(r);
      assertThat(id.length()).isLessThanOrEqualTo(Profiles.defaultProfile().limits().maxCredentialIdLength());
      CborMap key = (CborMap) CborDecoder.decodePrefix(r.bytes(2).toArray(), 55 + id.length()).value();
      assertThat(key.longValue(3)).isEqualTo(alg);
    }
  }
}
