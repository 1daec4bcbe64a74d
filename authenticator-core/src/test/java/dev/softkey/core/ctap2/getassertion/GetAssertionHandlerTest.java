package dev.softkey.core.ctap2.getassertion;

import static dev.softkey.core.testing.CtapTestClient.getAssertion;
import static dev.softkey.core.testing.CtapTestClient.makeCredential;
import static dev.softkey.core.testing.CtapTestClient.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.presence.UserPresence;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.testing.CoseKeys;
import dev.softkey.core.testing.CtapTestClient;
import dev.softkey.core.testing.TestDevices;
import dev.softkey.core.testing.TestDevices.Device;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GetAssertionHandlerTest {
  private final Device dev = TestDevices.generic();

  /** A created credential: its ID and COSE public key. */
  record Created(Bytes id, CborMap cose) {}

  private Created create(String rpId, byte[] user, long alg, boolean rk) {
    CborMap r =
        dev.client().send(CtapCommand.MAKE_CREDENTIAL, makeCredential(rpId, user, List.of(alg), rk ? map("rk", true) : null)).ok();
    byte[] ad = r.bytes(2).toArray();
    int len = ((ad[53] & 0xFF) << 8) | (ad[54] & 0xFF);
    Bytes id = Bytes.of(ad, 55, len);
    return new Created(id, (CborMap) CborDecoder.decodePrefix(ad, 55 + len).value());
  }

  private CtapTestClient.Response ga(Map<Object, Object> p) {
    return dev.client().send(CtapCommand.GET_ASSERTION, p);
  }

  private static boolean verifies(Created c, CborMap resp, Map<Object, Object> req) throws Exception {
    byte[] ad = resp.bytes(2).toArray();
    byte[] cdh = ((Bytes) req.get(2L)).toArray();
    byte[] msg = new byte[ad.length + cdh.length];
    System.arraycopy(ad, 0, msg, 0, ad.length);
    System.arraycopy(cdh, 0, msg, ad.length, cdh.length);
    return CoseKeys.verify(c.cose(), msg, resp.bytes(3).toArray());
  }

  @Test
  void step7_allowList_signsWithEveryAlgorithm() throws Exception {
    for (long alg : List.of(-7L, -8L, -35L, -257L)) {
      Created c = create("example.com", new byte[] {1}, alg, false);
      Map<Object, Object> req = getAssertion("example.com", List.of(c.id()), null);
      CborMap r = ga(req).ok();
      assertThat(CborMap.asMap(r.opt(1).orElseThrow()).bytes("id")).isEqualTo(c.id());
      assertThat(verifies(c, r, req)).as("signature for alg %d", alg).isTrue();
      assertThat(r.has(4)).isFalse(); // no user for non-discoverable credentials
      assertThat(r.bytes(2).get(32) & 0x01).isEqualTo(1); // UP
    }
  }

  @Test
  void signCounterIncreasesPerCredential() {
    Created c = create("example.com", new byte[] {1}, -7, false);
    long first = counter(ga(getAssertion("example.com", List.of(c.id()), null)).ok());
    long second = counter(ga(getAssertion("example.com", List.of(c.id()), null)).ok());
    assertThat(second).isGreaterThan(first);
  }

  private static long counter(CborMap r) {
    byte[] ad = r.bytes(2).toArray();
    return ((ad[33] & 0xFFL) << 24) | ((ad[34] & 0xFF) << 16) | ((ad[35] & 0xFF) << 8) | (ad[36] & 0xFF);
  }

  @Test
  void step7_credentialOfAnotherRp_returnsNoCredentials() {
    Created c = create("other.example", new byte[] {1}, -7, false);
    assertThat(ga(getAssertion("example.com", List.of(c.id()), null)).status()).isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
  }

  @Test
  void step7_tamperedCredentialId_returnsNoCredentials() {
    Created c = create("example.com", new byte[] {1}, -7, false);
    byte[] id = c.id().toArray();
    id[20] ^= 1;
    assertThat(ga(getAssertion("example.com", List.of(Bytes.wrap(id)), null)).status())
        .isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
  }

  @Test
  void step12_discoverable_newestFirstAndGetNextAssertion() throws Exception {
    Created a = create("example.com", new byte[] {1}, -7, true);
    dev.clock().advance(Duration.ofSeconds(1));
    Created b = create("example.com", new byte[] {2}, -8, true);
    Map<Object, Object> req = getAssertion("example.com", null, null);
    CborMap r1 = ga(req).ok();
    assertThat(r1.longValue(5)).isEqualTo(2);
    assertThat(CborMap.asMap(r1.opt(1).orElseThrow()).bytes("id")).isEqualTo(b.id());
    assertThat(CborMap.asMap(r1.opt(4).orElseThrow()).bytes("id")).isEqualTo(Bytes.of(new byte[] {2}));
    assertThat(CborMap.asMap(r1.opt(4).orElseThrow()).has("name")).isFalse(); // no UV, no PII
    assertThat(verifies(b, r1, req)).isTrue();
    CborMap r2 = dev.client().send(CtapCommand.GET_NEXT_ASSERTION, null).ok();
    assertThat(CborMap.asMap(r2.opt(1).orElseThrow()).bytes("id")).isEqualTo(a.id());
    assertThat(r2.has(5)).isFalse();
    assertThat(verifies(a, r2, req)).isTrue();
    assertThat(dev.client().send(CtapCommand.GET_NEXT_ASSERTION, null).status()).isEqualTo(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
  }

  @Test
  void getNextAssertion_afterTimer_returnsNotAllowed() {
    create("example.com", new byte[] {1}, -7, true);
    create("example.com", new byte[] {2}, -7, true);
    ga(getAssertion("example.com", null, null)).ok();
    dev.clock().advance(Duration.ofSeconds(31));
    assertThat(dev.client().send(CtapCommand.GET_NEXT_ASSERTION, null).status()).isEqualTo(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
  }

  @Test
  void getNextAssertion_afterAnotherCommand_returnsNotAllowed() {
    create("example.com", new byte[] {1}, -7, true);
    create("example.com", new byte[] {2}, -7, true);
    ga(getAssertion("example.com", null, null)).ok();
    dev.client().send(CtapCommand.GET_INFO, null).ok();
    assertThat(dev.client().send(CtapCommand.GET_NEXT_ASSERTION, null).status()).isEqualTo(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
  }

  @Test
  void getNextAssertion_withoutGetAssertion_returnsNotAllowed() {
    assertThat(dev.client().send(CtapCommand.GET_NEXT_ASSERTION, null).status()).isEqualTo(CtapStatus.CTAP2_ERR_NOT_ALLOWED);
  }

  @Test
  void step9_upFalse_silentAssertionHasNoUpFlag() {
    Created c = create("example.com", new byte[] {1}, -7, false);
    Device denying = dev; // presence is never asked with up=false; the flag tells
    CborMap r = denying.client().send(CtapCommand.GET_ASSERTION, getAssertion("example.com", List.of(c.id()), map("up", false))).ok();
    assertThat(r.bytes(2).get(32) & 0x01).isZero();
  }

  @Test
  void step9_presenceDenied_returnsOperationDenied() {
    Device d = TestDevices.build(Profiles.defaultProfile(), Presence.scripted(List.of(UserPresence.Result.APPROVED, UserPresence.Result.DENIED)));
    CborMap r = d.client().send(CtapCommand.MAKE_CREDENTIAL, makeCredential("example.com", new byte[] {1}, List.of(-7L), null)).ok();
    byte[] ad = r.bytes(2).toArray();
    Bytes id = Bytes.of(ad, 55, ((ad[53] & 0xFF) << 8) | (ad[54] & 0xFF));
    assertThat(d.client().send(CtapCommand.GET_ASSERTION, getAssertion("example.com", List.of(id), null)).status())
        .isEqualTo(CtapStatus.CTAP2_ERR_OPERATION_DENIED);
  }

  @Test
  void step9_presenceTimeout_returnsUserActionTimeout() {
    Device d = TestDevices.build(Profiles.defaultProfile(), Presence.scripted(List.of(UserPresence.Result.APPROVED, UserPresence.Result.TIMEOUT)));
    CborMap r = d.client().send(CtapCommand.MAKE_CREDENTIAL, makeCredential("example.com", new byte[] {1}, List.of(-7L), map("rk", true))).ok();
    assertThat(r).isNotNull();
    assertThat(d.client().send(CtapCommand.GET_ASSERTION, getAssertion("example.com", null, null)).status())
        .isEqualTo(CtapStatus.CTAP2_ERR_USER_ACTION_TIMEOUT);
  }

  @Test
  void step4_rkOption_returnsUnsupportedOption() {
    assertThat(ga(getAssertion("example.com", null, map("rk", true))).status()).isEqualTo(CtapStatus.CTAP2_ERR_UNSUPPORTED_OPTION);
  }

  @Test
  void noDiscoverableCredentials_returnsNoCredentials() {
    assertThat(ga(getAssertion("example.com", null, null)).status()).isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
  }

  @Test
  void missingRpId_returnsMissingParameter() {
    Map<Object, Object> p = getAssertion("example.com", null, null);
    p.remove(1L);
    assertThat(ga(p).status()).isEqualTo(CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
  }

  @Test
  void seededDevicesAreReproducible() {
    Device other = TestDevices.generic();
    CborMap a = dev.client().send(CtapCommand.MAKE_CREDENTIAL, makeCredential("example.com", new byte[] {1}, List.of(-7L), null)).ok();
    CborMap b = other.client().send(CtapCommand.MAKE_CREDENTIAL, makeCredential("example.com", new byte[] {1}, List.of(-7L), null)).ok();
    assertThat(a.bytes(2)).isEqualTo(b.bytes(2));
  }
}
