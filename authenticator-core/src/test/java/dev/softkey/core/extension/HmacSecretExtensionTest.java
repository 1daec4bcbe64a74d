package dev.softkey.core.extension;

import static dev.softkey.core.testing.CtapTestClient.getAssertion;
import static dev.softkey.core.testing.CtapTestClient.hash;
import static dev.softkey.core.testing.CtapTestClient.makeCredential;
import static dev.softkey.core.testing.CtapTestClient.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.OperationContext;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.store.StoredCredential;
import dev.softkey.core.testing.CtapTestClient;
import dev.softkey.core.testing.TestDevices;
import dev.softkey.core.testing.TestDevices.Device;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.AuthenticatorData;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.ctap.pin.PinUvAuthProtocol;
import dev.softkey.platform.pin.PinToken;
import dev.softkey.platform.pin.PlatformPin;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * hmac-secret (CTAP 2.1 section 12.5) and hmac-secret-mc (CTAP 2.2 section 12.8) on the key, driven
 * as a platform drives them: the platform's side (encapsulate, encrypt the salts, authenticate
 * saltEnc, decrypt the outputs) uses ctap-types' PIN/UV auth protocols, as python-fido2's
 * HmacSecretExtension does. No public source publishes outputs for a known CredRandom (the value
 * never leaves a key), so the known-answer check is made against the CredRandoms softkey stores
 * for a discoverable credential: output1 = HMAC-SHA-256(CredRandom, salt1), computed here with the
 * JDK's Mac.
 */
class HmacSecretExtensionTest {
  static final String RP = "example.com";
  static final String PIN = "1234";
  static final Bytes SALT_A = filled(32, 0xA1);
  static final Bytes SALT_B = filled(32, 0xB2);

  static Bytes filled(int n, int v) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) v);
    return Bytes.wrap(b);
  }

  /** A key (generic profile unless told) with the platform's view of it. */
  static final class Key {
    final Device dev;
    final CtapTestClient client;
    final RandomSource platformRandom = RandomSource.seeded(99);

    Key(Profile profile) {
      dev = TestDevices.build(profile, Presence.approve());
      client = dev.client();
    }

    Key() {
      this(Profiles.defaultProfile());
    }

    PlatformPin pin(int protocol) {
      return new PlatformPin(req -> dev.authenticator().process(req, OperationContext.INTERNAL), protocol, platformRandom);
    }

    void setPin() {
      pin(2).setPin(PIN);
    }

    PinToken token(Permission p, int protocol) {
      return pin(protocol).getPinUvAuthToken(PIN, Set.of(p), Optional.of(RP));
    }

    /** makeCredential with these extension inputs; rk as told. */
    CtapTestClient.Response mc(Map<Object, Object> extensions, boolean rk, PinToken token) {
      Map<Object, Object> p = makeCredential(RP, new byte[] {1, 2, 3}, List.of(-7L), rk ? map("rk", true) : null);
      if (extensions != null) {
        p.put(6L, extensions);
      }
      if (token != null) {
        p.put(8L, token.authenticate(hash("challenge-" + RP).toArray()));
        p.put(9L, (long) token.protocol());
      }
      return client.send(CtapCommand.MAKE_CREDENTIAL, p);
    }

    Bytes credential(Map<Object, Object> extensions, boolean rk) {
      return credentialId(mc(extensions, rk, null).ok());
    }

    CtapTestClient.Response ga(Bytes credentialId, Map<Object, Object> extensions, Map<Object, Object> options, PinToken token) {
      Map<Object, Object> p = getAssertion(RP, credentialId == null ? null : List.of(credentialId), options);
      if (extensions != null) {
        p.put(4L, extensions);
      }
      if (token != null) {
        p.put(6L, token.authenticate(hash("assert-" + RP).toArray()));
        p.put(7L, (long) token.protocol());
      }
      return client.send(CtapCommand.GET_ASSERTION, p);
    }

    /** A fresh platform key agreement with the key's current key of {@code protocol}. */
    Salted salted(int protocol, Bytes salts) {
      PinUvAuthProtocol p = PinUvAuthProtocol.of(protocol, platformRandom);
      PinUvAuthProtocol.Encapsulation e = p.encapsulate(pin(protocol).keyAgreement());
      Bytes saltEnc = p.encrypt(e.sharedSecret(), salts);
      Bytes saltAuth = p.authenticate(e.sharedSecret(), saltEnc.unsafeArray());
      return new Salted(p, e.sharedSecret(), map(1, e.keyAgreement(), 2, saltEnc, 3, saltAuth, 4, (long) protocol));
    }

    /** The decrypted hmac-secret output of an assertion for {@code salts}. */
    Bytes output(Bytes credentialId, int protocol, Bytes salts, PinToken token) {
      Salted s = salted(protocol, salts);
      CborMap r = ga(credentialId, map("hmac-secret", s.input()), null, token).ok();
      return s.decrypt(extensions(r.bytes(2)).bytes("hmac-secret"));
    }
  }

  /** The platform's hmac-secret input and what decrypts the output. */
  record Salted(PinUvAuthProtocol protocol, Bytes sharedSecret, Map<Object, Object> input) {
    Bytes decrypt(Bytes output) {
      return protocol.decrypt(sharedSecret, output).orElseThrow();
    }

    /** The input with one member replaced. */
    Map<Object, Object> with(long key, Object value) {
      Map<Object, Object> m = new java.util.LinkedHashMap<>(input);
      if (value == null) {
        m.remove(key);
      } else {
        m.put(key, value);
      }
      return m;
    }
  }

  static Bytes credentialId(CborMap mcResponse) {
    return AuthenticatorData.parse(mcResponse.bytes(2)).attestedCredentialData().orElseThrow().credentialId();
  }

  static CborMap extensions(Bytes authData) {
    AuthenticatorData ad = AuthenticatorData.parse(authData);
    assertThat(ad.flags() & AuthenticatorData.ED).isEqualTo(AuthenticatorData.ED);
    return ad.extensions().orElseThrow();
  }

  static Bytes hmac(Bytes key, Bytes message) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.toArray(), "HmacSHA256"));
    return Bytes.wrap(mac.doFinal(message.toArray()));
  }

  static final Map<Object, Object> CREATE = map("hmac-secret", true);

  @Nested
  class GetInfo {
    @Test
    void generic_listsHmacSecretAndHmacSecretMc_inTheProfilesOrder() {
      List<Object> ids = new Key().client.sendRaw(new byte[] {0x04}).ok().list(0x02);
      assertThat(ids).containsSubsequence("hmac-secret", "hmac-secret-mc");
    }

    @Test
    void yubikey5_listsHmacSecret_withoutHmacSecretMc() {
      List<Object> ids = new Key(Profiles.builtIn("yubikey-5").orElseThrow()).client.sendRaw(new byte[] {0x04}).ok().list(0x02);
      assertThat(ids).contains("hmac-secret").doesNotContain("hmac-secret-mc");
    }
  }

  @Nested
  class MakeCredential {
    final Key key = new Key();

    @Test
    void inputTrue_outputsHmacSecretTrue_withTheEdFlag() {
      CborMap r = key.mc(CREATE, false, null).ok();
      assertThat(extensions(r.bytes(2)).asMap()).containsExactly(Map.entry("hmac-secret", true));
    }

    @Test
    void inputTrue_authDataEndsInTheCanonicalExtensionsMap() {
      byte[] ad = key.mc(CREATE, false, null).ok().bytes(2).toArray();
      // {"hmac-secret": true}: A1 6B "hmac-secret" F5, the last bytes of authenticatorData.
      byte[] expected = Bytes.concat(Bytes.fromHex("a16b"), Bytes.wrap("hmac-secret".getBytes(StandardCharsets.US_ASCII)), Bytes.fromHex("f5")).toArray();
      assertThat(Arrays.copyOfRange(ad, ad.length - expected.length, ad.length)).isEqualTo(expected);
    }

    @Test
    void discoverable_keepsTwoRandom32ByteCredRandoms_inTheStoredRecord() {
      key.mc(CREATE, true, null).ok();
      Bytes state = key.dev.store().all().get(0).extensionData().get("hmac-secret");
      assertThat(state.length()).isEqualTo(64);
      assertThat(state.slice(0, 32)).isNotEqualTo(state.slice(32, 64));
    }

    @Test
    void twoCredentials_getDifferentCredRandoms() {
      key.mc(CREATE, true, null).ok();
      Map<Object, Object> p = makeCredential(RP, new byte[] {9}, List.of(-7L), map("rk", true));
      p.put(6L, CREATE);
      key.client.send(CtapCommand.MAKE_CREDENTIAL, p).ok();
      List<StoredCredential> all = key.dev.store().all();
      assertThat(all.get(0).extensionData().get("hmac-secret")).isNotEqualTo(all.get(1).extensionData().get("hmac-secret"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"yubikey-5", "bio", "generic"})
    void nonDiscoverable_storesNothing_andItsIdFitsTheProfile_forEveryAlgorithm(String id) {
      Profile profile = Profiles.builtIn(id).orElseThrow();
      Key k = new Key(profile);
      for (dev.softkey.ctap.crypto.CoseAlgorithm alg : profile.getInfo().algorithms()) {
        Map<Object, Object> p = makeCredential(RP, new byte[] {1}, List.of((long) alg.id()), null);
        p.put(6L, CREATE);
        Bytes credentialId = credentialId(k.client.send(CtapCommand.MAKE_CREDENTIAL, p).ok());
        assertThat(credentialId.length()).as(alg.toString()).isLessThanOrEqualTo(profile.limits().maxCredentialIdLength());
        assertThat(k.output(credentialId, 2, SALT_A, null).length()).isEqualTo(32);
      }
      assertThat(k.dev.store().count()).isZero();
    }

    @Test
    void nonDiscoverable_addsOnly16BytesToTheSealedId() {
      // {6: {"hmac-secret": h'01'}}: key 6, a one-entry map, the 11-character identifier, one byte;
      // the CredRandoms are derived from the sealed private key, not carried.
      assertThat(key.credential(CREATE, false).length() - key.credential(null, false).length()).isEqualTo(16);
    }

    @Test
    void inputFalse_makesNothing_andOutputsNothing() {
      CborMap r = key.mc(map("hmac-secret", false), true, null).ok();
      assertThat(AuthenticatorData.parse(r.bytes(2)).extensions()).isEmpty();
      assertThat(key.dev.store().all().get(0).extensionData()).doesNotContainKey("hmac-secret");
    }

    @Test
    void noInput_noEdFlag() {
      AuthenticatorData ad = AuthenticatorData.parse(key.mc(null, false, null).ok().bytes(2));
      assertThat(ad.flags() & AuthenticatorData.ED).isZero();
    }

    @Test
    void inputNotABoolean_returnsCborUnexpectedType() {
      assertThat(key.mc(map("hmac-secret", 1L), false, null).status()).isEqualTo(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
    }
  }

  @Nested
  class GetAssertion {
    final Key key = new Key();
    final Bytes id = key.credential(CREATE, false);

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {1, 2})
    void sameSalt_sameOutput_twice(int protocol) {
      Bytes first = key.output(id, protocol, SALT_A, null);
      assertThat(first.length()).isEqualTo(32);
      assertThat(key.output(id, protocol, SALT_A, null)).isEqualTo(first);
    }

    @Test
    void protocolsOneAndTwo_giveTheSameOutput_forTheSameSalt() {
      assertThat(key.output(id, 1, SALT_A, null)).isEqualTo(key.output(id, 2, SALT_A, null));
    }

    @Test
    void anotherSalt_anotherOutput() {
      assertThat(key.output(id, 2, SALT_B, null)).isNotEqualTo(key.output(id, 2, SALT_A, null));
    }

    @Test
    void anotherCredential_anotherOutput() {
      Bytes other = key.credential(CREATE, false);
      assertThat(key.output(other, 2, SALT_A, null)).isNotEqualTo(key.output(id, 2, SALT_A, null));
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {1, 2})
    void twoSalts_twoOutputs_eachAsForItsSaltAlone(int protocol) {
      Bytes both = key.output(id, protocol, Bytes.concat(SALT_A, SALT_B), null);
      assertThat(both.length()).isEqualTo(64);
      assertThat(both.slice(0, 32)).isEqualTo(key.output(id, protocol, SALT_A, null));
      assertThat(both.slice(32, 64)).isEqualTo(key.output(id, protocol, SALT_B, null));
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {1, 2})
    void withUv_CredRandomWithUV_differsFromWithoutUv(int protocol) {
      Bytes withoutUv = key.output(id, protocol, SALT_A, null);
      key.setPin();
      Bytes withUv = key.output(id, protocol, SALT_A, key.token(Permission.GET_ASSERTION, protocol));
      Bytes withUvAgain = key.output(id, protocol, SALT_A, key.token(Permission.GET_ASSERTION, protocol));
      assertThat(withUv).isNotEqualTo(withoutUv).isEqualTo(withUvAgain);
      // Without UV after the PIN is set: CredRandomWithoutUV still.
      assertThat(key.output(id, protocol, SALT_A, null)).isEqualTo(withoutUv);
    }

    @Test
    void pinUvAuthProtocolAbsent_isProtocolOne() {
      Salted s = key.salted(1, SALT_A);
      CborMap r = key.ga(id, map("hmac-secret", s.with(4L, null)), null, null).ok();
      assertThat(s.decrypt(extensions(r.bytes(2)).bytes("hmac-secret"))).isEqualTo(key.output(id, 1, SALT_A, null));
    }

    @Test
    void outputs_areHmacSha256OfTheStoredCredRandoms_withUvAndWithout() throws Exception {
      Key k = new Key();
      k.mc(CREATE, true, null).ok();
      Bytes state = k.dev.store().all().get(0).extensionData().get("hmac-secret");
      Bytes withUv = state.slice(0, 32);
      Bytes withoutUv = state.slice(32, 64);
      assertThat(k.output(null, 2, SALT_A, null)).isEqualTo(hmac(withoutUv, SALT_A));
      k.setPin();
      assertThat(k.output(null, 1, Bytes.concat(SALT_A, SALT_B), k.token(Permission.GET_ASSERTION, 1)))
          .isEqualTo(Bytes.concat(hmac(withUv, SALT_A), hmac(withUv, SALT_B)));
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {1, 2})
    void authData_endsInTheCanonicalMap_ofTheEncryptedOutput(int protocol) {
      Salted s = key.salted(protocol, SALT_A);
      byte[] ad = key.ga(id, map("hmac-secret", s.input()), null, null).ok().bytes(2).toArray();
      // flags: UP and ED; then {"hmac-secret": bstr(32 or, with protocol 2's IV, 48)}.
      assertThat(ad[32] & 0xFF).isEqualTo(AuthenticatorData.ED | AuthenticatorData.UP);
      int len = protocol == 1 ? 32 : 48;
      byte[] head = Bytes.concat(Bytes.fromHex("a16b"), Bytes.wrap("hmac-secret".getBytes(StandardCharsets.US_ASCII)), Bytes.wrap(new byte[] {0x58, (byte) len})).toArray();
      assertThat(Arrays.copyOfRange(ad, 37, 37 + head.length)).isEqualTo(head);
      assertThat(ad.length).isEqualTo(37 + head.length + len);
    }

    @Test
    void protocolTwo_encryptsUnderAFreshIv_eachTime() {
      Salted s = key.salted(2, SALT_A);
      Bytes one = extensions(key.ga(id, map("hmac-secret", s.input()), null, null).ok().bytes(2)).bytes("hmac-secret");
      Bytes two = extensions(key.ga(id, map("hmac-secret", s.input()), null, null).ok().bytes(2)).bytes("hmac-secret");
      assertThat(one).isNotEqualTo(two);
      assertThat(s.decrypt(one)).isEqualTo(s.decrypt(two));
    }

    @Test
    void discoverableCredentials_getNextAssertion_carriesTheirOwnOutputs() {
      Key k = new Key();
      k.mc(CREATE, true, null).ok();
      Map<Object, Object> p = makeCredential(RP, new byte[] {9}, List.of(-7L), map("rk", true));
      p.put(6L, CREATE);
      k.client.send(CtapCommand.MAKE_CREDENTIAL, p).ok();
      Salted s = k.salted(2, SALT_A);
      CborMap first = k.ga(null, map("hmac-secret", s.input()), null, null).ok();
      CborMap next = k.client.sendRaw(new byte[] {0x08}).ok();
      Bytes o1 = s.decrypt(extensions(first.bytes(2)).bytes("hmac-secret"));
      Bytes o2 = s.decrypt(extensions(next.bytes(2)).bytes("hmac-secret"));
      assertThat(o1).isNotEqualTo(o2);
    }

    @Test
    void credentialMadeWithoutHmacSecret_getsNoOutput_andNoEdFlag() {
      Bytes plain = key.credential(null, false);
      CborMap r = key.ga(plain, map("hmac-secret", key.salted(2, SALT_A).input()), null, null).ok();
      AuthenticatorData ad = AuthenticatorData.parse(r.bytes(2));
      assertThat(ad.flags() & AuthenticatorData.ED).isZero();
      assertThat(ad.extensions()).isEmpty();
    }

    @Test
    void noInput_noOutput() {
      AuthenticatorData ad = AuthenticatorData.parse(key.ga(id, null, null, null).ok().bytes(2));
      assertThat(ad.extensions()).isEmpty();
    }

    @Test
    void upFalse_returnsUnsupportedOption() {
      CtapTestClient.Response r = key.ga(id, map("hmac-secret", key.salted(2, SALT_A).input()), map("up", false), null);
      assertThat(r.status()).isEqualTo(CtapStatus.CTAP2_ERR_UNSUPPORTED_OPTION);
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {1, 2})
    void wrongSaltAuth_returnsPinAuthInvalid(int protocol) {
      Salted s = key.salted(protocol, SALT_A);
      byte[] auth = ((Bytes) s.input().get(3L)).toArray();
      auth[0] ^= 1;
      CtapTestClient.Response r = key.ga(id, map("hmac-secret", s.with(3L, Bytes.wrap(auth))), null, null);
      assertThat(r.status()).isEqualTo(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
    }

    @Test
    void saltAuthOfTheOtherProtocol_returnsPinAuthInvalid() {
      // Salts made for protocol 2, announced as protocol 1: another shared secret, another MAC.
      Salted s = key.salted(2, SALT_A);
      assertThat(key.ga(id, map("hmac-secret", s.with(4L, 1L)), null, null).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
    }

    @ParameterizedTest(name = "{0} bytes of salt")
    @ValueSource(ints = {16, 48, 96})
    void saltsOfAnotherLength_returnInvalidParameter(int length) {
      assertThat(key.ga(id, map("hmac-secret", key.salted(2, filled(length, 0x33)).input()), null, null).status())
          .isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void protocolOneSaltEncNotWholeBlocks_returnsInvalidParameter() {
      // A correctly authenticated saltEnc that protocol 1 cannot decrypt (not whole AES blocks).
      Salted s = key.salted(1, SALT_A);
      Bytes saltEnc = filled(33, 0x44);
      Bytes saltAuth = s.protocol().authenticate(s.sharedSecret(), saltEnc.unsafeArray());
      Map<Object, Object> in = map(1, s.input().get(1L), 2, saltEnc, 3, saltAuth, 4, 1L);
      assertThat(key.ga(id, map("hmac-secret", in), null, null).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void unsupportedProtocol_returnsInvalidParameter() {
      assertThat(key.ga(id, map("hmac-secret", key.salted(2, SALT_A).with(4L, 3L)), null, null).status())
          .isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void keyAgreementNotOnTheCurve_returnsInvalidParameter() {
      Salted s = key.salted(2, SALT_A);
      Map<Object, Object> bad = new java.util.LinkedHashMap<>(CborMap.asMap(new CborMap(toLongKeys(s.input().get(1L)))).asMap());
      bad.put(-3L, filled(32, 0x01));
      assertThat(key.ga(id, map("hmac-secret", s.with(1L, bad)), null, null).status())
          .isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @ParameterizedTest(name = "member {0} missing")
    @ValueSource(longs = {1, 2, 3})
    void mandatoryMemberMissing_returnsMissingParameter(long member) {
      assertThat(key.ga(id, map("hmac-secret", key.salted(2, SALT_A).with(member, null)), null, null).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
    }

    @Test
    void inputNotAMap_returnsCborUnexpectedType() {
      assertThat(key.ga(id, map("hmac-secret", true), null, null).status()).isEqualTo(CtapStatus.CTAP2_ERR_CBOR_UNEXPECTED_TYPE);
    }

    @Test
    void aRejectedRequest_leavesTheSignCounterAlone() {
      long before = AuthenticatorData.parse(key.ga(id, null, null, null).ok().bytes(2)).signCount();
      Salted s = key.salted(2, SALT_A);
      key.ga(id, map("hmac-secret", s.with(3L, filled(32, 0))), null, null);
      long after = AuthenticatorData.parse(key.ga(id, null, null, null).ok().bytes(2)).signCount();
      assertThat(after - before).isEqualTo(1);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<Object, Object> toLongKeys(Object coseKey) {
    return (Map<Object, Object>) coseKey;
  }

  @Nested
  class HmacSecretMc {
    final Key key = new Key();

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {1, 2})
    void outputAtMakeCredential_isWhatALaterGetAssertionReturns(int protocol) {
      Salted s = key.salted(protocol, Bytes.concat(SALT_A, SALT_B));
      CborMap r = key.mc(map("hmac-secret", true, "hmac-secret-mc", s.input()), false, null).ok();
      CborMap ext = extensions(r.bytes(2));
      assertThat(ext.optBool("hmac-secret")).contains(true);
      Bytes atCreation = s.decrypt(ext.bytes("hmac-secret-mc"));
      assertThat(atCreation.length()).isEqualTo(64);
      assertThat(key.output(credentialId(r), protocol, Bytes.concat(SALT_A, SALT_B), null)).isEqualTo(atCreation);
    }

    @Test
    void withUv_usesCredRandomWithUV_asGetAssertionWithUvDoes() {
      key.setPin();
      Salted s = key.salted(2, SALT_A);
      CborMap r = key.mc(map("hmac-secret", true, "hmac-secret-mc", s.input()), true, key.token(Permission.MAKE_CREDENTIAL, 2)).ok();
      assertThat(AuthenticatorData.parse(r.bytes(2)).flags() & AuthenticatorData.UV).isEqualTo(AuthenticatorData.UV);
      Bytes atCreation = s.decrypt(extensions(r.bytes(2)).bytes("hmac-secret-mc"));
      Bytes id = credentialId(r);
      assertThat(key.output(id, 2, SALT_A, key.token(Permission.GET_ASSERTION, 2))).isEqualTo(atCreation);
      assertThat(key.output(id, 2, SALT_A, null)).isNotEqualTo(atCreation);
    }

    @Test
    void withoutHmacSecretTrue_noCredRandom_noOutput() {
      CborMap r = key.mc(map("hmac-secret-mc", key.salted(2, SALT_A).input()), true, null).ok();
      assertThat(AuthenticatorData.parse(r.bytes(2)).extensions()).isEmpty();
      assertThat(key.dev.store().all().get(0).extensionData()).doesNotContainKey("hmac-secret");
    }

    @Test
    void wrongSaltAuth_returnsPinAuthInvalid_andMakesNoCredential() {
      Salted s = key.salted(2, SALT_A);
      CtapTestClient.Response r = key.mc(map("hmac-secret", true, "hmac-secret-mc", s.with(3L, filled(32, 0))), true, null);
      assertThat(r.status()).isEqualTo(CtapStatus.CTAP2_ERR_PIN_AUTH_INVALID);
      assertThat(key.dev.store().count()).isZero();
    }

    @Test
    void saltsOfAnotherLength_returnInvalidParameter() {
      Salted s = key.salted(1, filled(48, 0x55));
      assertThat(key.mc(map("hmac-secret", true, "hmac-secret-mc", s.input()), false, null).status())
          .isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER);
    }

    @Test
    void mandatoryMemberMissing_returnsMissingParameter() {
      Salted s = key.salted(2, SALT_A);
      assertThat(key.mc(map("hmac-secret", true, "hmac-secret-mc", s.with(2L, null)), false, null).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_MISSING_PARAMETER);
    }

    @Test
    void listedBeforeHmacSecret_stillReadsItsCredRandoms() {
      Profile generic = Profiles.defaultProfile();
      Profile.ExtensionSupport e = generic.extensions();
      Profile swapped =
          generic.toBuilder()
              .extensions(
                  new Profile.ExtensionSupport(
                      List.of("hmac-secret-mc", "hmac-secret"), e.credProtectDefault(), java.util.OptionalInt.empty(), Optional.empty()))
              .build();
      Key k = new Key(swapped);
      assertThat(k.client.sendRaw(new byte[] {0x04}).ok().list(0x02)).containsExactly("hmac-secret-mc", "hmac-secret");
      Salted s = k.salted(2, SALT_A);
      CborMap r = k.mc(map("hmac-secret", true, "hmac-secret-mc", s.input()), false, null).ok();
      Bytes atCreation = s.decrypt(extensions(r.bytes(2)).bytes("hmac-secret-mc"));
      assertThat(k.output(credentialId(r), 2, SALT_A, null)).isEqualTo(atCreation);
    }

    @Test
    void onAProfileWithoutIt_theInputIsIgnored() {
      Key yk = new Key(Profiles.builtIn("yubikey-5").orElseThrow());
      CborMap r = yk.mc(map("hmac-secret", true, "hmac-secret-mc", yk.salted(2, SALT_A).input()), false, null).ok();
      assertThat(extensions(r.bytes(2)).asMap()).containsExactly(Map.entry("hmac-secret", true));
    }
  }
}
