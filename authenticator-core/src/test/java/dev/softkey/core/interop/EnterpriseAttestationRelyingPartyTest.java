package dev.softkey.core.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.webauthn4j.data.RegistrationData;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.data.AttestationType;
import com.yubico.webauthn.data.PublicKeyCredentialCreationOptions;
import com.yubico.webauthn.data.UserVerificationRequirement;
import dev.softkey.core.Authenticator;
import dev.softkey.core.OperationContext;
import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.core.profile.AttestationFormat;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.store.MemoryStore;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.CtapTransport;
import dev.softkey.platform.RegistrationResponse;
import dev.softkey.platform.WebAuthnClient;
import dev.softkey.platform.config.PlatformConfig;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Enterprise attestation (CTAP 2.1 section 7.1) end to end: the platform asks for it for an RP ID
 * its policy allows (attestation "enterprise"), the authenticator returns a packed statement with
 * its enterprise certificate, and Yubico java-webauthn-server and webauthn4j verify the
 * registration against softkey's root alone.
 */
class EnterpriseAttestationRelyingPartyTest {
  static final String VENDOR_RP_ID = "enterprise.softkey.test";
  static final String VENDOR_ORIGIN = "https://enterprise.softkey.test";
  static final String OTHER_RP_ID = "example.com";
  static final String OTHER_ORIGIN = "https://example.com";

  /** A generic-profile key (optionally with another usual attestation format) and clients for it. */
  static final class EnterpriseKey {
    final MemoryStore store = new MemoryStore();
    final RandomSource random;
    final AttestationCa ca;
    final Profile profile;
    final Authenticator authenticator;
    final CtapTransport transport;

    EnterpriseKey(Profile profile, long seed, boolean enable) {
      this.profile = profile;
      this.random = RandomSource.seeded(seed);
      this.ca = AttestationCa.open(new MemoryStore(), RandomSource.seeded(seed + 1000), Clock.systemUTC());
      this.authenticator = Authenticator.builder().profile(profile).store(store).random(random).attestationCa(ca).build();
      this.transport = req -> authenticator.process(req, OperationContext.INTERNAL);
      if (enable) {
        new PlatformConfig(transport::transact).enableEnterpriseAttestation(Optional.empty());
      }
    }

    WebAuthnClient client(Set<String> allowed, long mode) {
      return WebAuthnClient.builder(transport).enterpriseAttestation(allowed, mode).build();
    }

    Bytes root() {
      return ca.rootCertificate();
    }

    String serial() {
      return ca.enterpriseSerialNumber(profile, store);
    }
  }

  static String enterpriseJson(PublicKeyCredentialCreationOptions create) throws Exception {
    String json = create.toCredentialsCreateJson();
    assertThat(json).contains("\"attestation\":\"direct\"");
    return json.replace("\"attestation\":\"direct\"", "\"attestation\":\"enterprise\"");
  }

  static X509Certificate leaf(RegistrationResponse reg) {
    CborMap attObj = (CborMap) CborDecoder.decode(reg.attestationObject().toArray());
    List<Object> x5c = attObj.map("attStmt").list("x5c");
    assertThat(x5c).hasSize(2); // [enterprise certificate, vendor intermediate]
    return YubicoRp.certificate((Bytes) x5c.get(0));
  }

  static Optional<String> subjectSerialNumber(X509Certificate cert) throws Exception {
    for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
      if (rdn.getType().equalsIgnoreCase("2.5.4.5") || rdn.getType().equalsIgnoreCase("SERIALNUMBER")) {
        Object v = rdn.getValue();
        return Optional.of(v instanceof byte[] b ? new String(b, 2, b.length - 2, java.nio.charset.StandardCharsets.US_ASCII) : v.toString());
      }
    }
    return Optional.empty();
  }

  @Nested
  class PlatformManaged {
    @Test
    void mode2_enterpriseCertificateWithTheDeviceSerial_verifiedByBothRelyingParties() throws Exception {
      EnterpriseKey key = new EnterpriseKey(Profiles.defaultProfile(), 11, true);
      YubicoRp yubico = new YubicoRp(OTHER_RP_ID, Set.of(OTHER_ORIGIN), CoseAlgorithm.ES256, key.root(), true);
      Webauthn4jRp webauthn4j = new Webauthn4jRp(OTHER_RP_ID, Set.of(OTHER_ORIGIN), CoseAlgorithm.ES256, key.root());
      PublicKeyCredentialCreationOptions create = yubico.startRegistration(false, UserVerificationRequirement.DISCOURAGED);

      RegistrationResponse reg = key.client(Set.of(OTHER_RP_ID), 2).create(enterpriseJson(create), OTHER_ORIGIN, Optional.empty());

      X509Certificate cert = leaf(reg);
      assertThat(cert.getSubjectX500Principal().getName()).contains("OU=Authenticator Attestation");
      assertThat(subjectSerialNumber(cert)).contains(key.serial());
      assertThat(key.serial()).matches("[0-9A-F]{16}");
      RegistrationResult yr = yubico.finishRegistration(create, reg);
      assertThat(yr.getAttestationType()).isEqualTo(AttestationType.BASIC);
      assertThat(yr.isAttestationTrusted()).isTrue();
      RegistrationData wr = webauthn4j.register(reg, create.getChallenge().getBytes(), false);
      assertThat(wr.getAttestationObject().getFormat()).isEqualTo("packed");
    }

    @Test
    void twoDevices_haveDifferentEnterpriseSerials_andTheSameBatchCertificateKind() {
      EnterpriseKey a = new EnterpriseKey(Profiles.defaultProfile(), 21, true);
      EnterpriseKey b = new EnterpriseKey(Profiles.defaultProfile(), 22, true);
      assertThat(a.serial()).isNotEqualTo(b.serial());
      assertThat(a.serial()).isEqualTo(a.serial()); // fixed once issued
    }

    @Test
    void rpNotInTheClientsPolicy_getsTheUsualAttestation() throws Exception {
      EnterpriseKey key = new EnterpriseKey(Profiles.defaultProfile(), 12, true);
      YubicoRp yubico = new YubicoRp(OTHER_RP_ID, Set.of(OTHER_ORIGIN), CoseAlgorithm.ES256, key.root(), true);
      PublicKeyCredentialCreationOptions create = yubico.startRegistration(false, UserVerificationRequirement.DISCOURAGED);

      RegistrationResponse reg = key.client(Set.of("other.test"), 2).create(enterpriseJson(create), OTHER_ORIGIN, Optional.empty());

      assertThat(subjectSerialNumber(leaf(reg))).isEmpty(); // the batch certificate
      assertThat(yubico.finishRegistration(create, reg).isAttestationTrusted()).isTrue();
    }

    @Test
    void enterpriseAttestationNotEnabled_clientSendsNothing_andGetsTheUsualAttestation() throws Exception {
      EnterpriseKey key = new EnterpriseKey(Profiles.defaultProfile(), 13, false);
      YubicoRp yubico = new YubicoRp(OTHER_RP_ID, Set.of(OTHER_ORIGIN), CoseAlgorithm.ES256, key.root(), true);
      PublicKeyCredentialCreationOptions create = yubico.startRegistration(false, UserVerificationRequirement.DISCOURAGED);

      // The authenticator would answer CTAP1_ERR_INVALID_PARAMETER to enterpriseAttestation; the
      // client sees ep false and does not send it.
      RegistrationResponse reg = key.client(Set.of(OTHER_RP_ID), 2).create(enterpriseJson(create), OTHER_ORIGIN, Optional.empty());

      assertThat(subjectSerialNumber(leaf(reg))).isEmpty();
    }

    @Test
    void profileWithNoneAttestation_stillReturnsAPackedEnterpriseStatement() throws Exception {
      Profile none = Profiles.defaultProfile().toBuilder().attestation(AttestationFormat.NONE).build();
      EnterpriseKey key = new EnterpriseKey(none, 14, true);
      YubicoRp yubico = new YubicoRp(OTHER_RP_ID, Set.of(OTHER_ORIGIN), CoseAlgorithm.ES256, key.root(), true);
      PublicKeyCredentialCreationOptions create = yubico.startRegistration(false, UserVerificationRequirement.DISCOURAGED);

      RegistrationResponse reg = key.client(Set.of(OTHER_RP_ID), 2).create(enterpriseJson(create), OTHER_ORIGIN, Optional.empty());

      assertThat(subjectSerialNumber(leaf(reg))).contains(key.serial());
      assertThat(yubico.finishRegistration(create, reg).isAttestationTrusted()).isTrue();
    }
  }

  @Nested
  class VendorFacilitated {
    @Test
    void mode1_preconfiguredRpId_getsTheEnterpriseCertificate_verifiedByBothRelyingParties() throws Exception {
      EnterpriseKey key = new EnterpriseKey(Profiles.defaultProfile(), 15, true);
      YubicoRp yubico = new YubicoRp(VENDOR_RP_ID, Set.of(VENDOR_ORIGIN), CoseAlgorithm.ES256, key.root(), true);
      Webauthn4jRp webauthn4j = new Webauthn4jRp(VENDOR_RP_ID, Set.of(VENDOR_ORIGIN), CoseAlgorithm.ES256, key.root());
      PublicKeyCredentialCreationOptions create = yubico.startRegistration(true, UserVerificationRequirement.DISCOURAGED);

      RegistrationResponse reg = key.client(Set.of(VENDOR_RP_ID), 1).create(enterpriseJson(create), VENDOR_ORIGIN, Optional.empty());

      assertThat(subjectSerialNumber(leaf(reg))).contains(key.serial());
      assertThat(yubico.finishRegistration(create, reg).isAttestationTrusted()).isTrue();
      webauthn4j.register(reg, create.getChallenge().getBytes(), false);
    }

    @Test
    void mode1_rpIdTheVendorDidNotConfigure_getsTheUsualAttestation() throws Exception {
      EnterpriseKey key = new EnterpriseKey(Profiles.defaultProfile(), 16, true);
      YubicoRp yubico = new YubicoRp(OTHER_RP_ID, Set.of(OTHER_ORIGIN), CoseAlgorithm.ES256, key.root(), true);
      PublicKeyCredentialCreationOptions create = yubico.startRegistration(false, UserVerificationRequirement.DISCOURAGED);

      RegistrationResponse reg = key.client(Set.of(OTHER_RP_ID), 1).create(enterpriseJson(create), OTHER_ORIGIN, Optional.empty());

      assertThat(subjectSerialNumber(leaf(reg))).isEmpty();
      assertThat(yubico.finishRegistration(create, reg).isAttestationTrusted()).isTrue();
    }
  }
}
