package dev.softkey.ctap.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncodable;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.PinCrypto;
import dev.softkey.testvectors.Ctap2Vectors;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The response records read what real authenticators answered, as libfido2 captured it
 * (ctap2/libfido2-responses.tsv, from Yubico/libfido2 fuzz/wiredata_fido2.h), and write it back byte
 * for byte, which is what python-fido2's strict check asks of softkey's own answers.
 */
class Libfido2ResponsesTest {
  private static <T extends CborEncodable> T read(String name, Function<CborMap, T> fromCbor) {
    byte[] encoded = Ctap2Vectors.message(Ctap2Vectors.LIBFIDO2_RESPONSES, name);
    T record = fromCbor.apply(CborDecoder.decodeMap(encoded));
    assertThat(Bytes.wrap(CborEncoder.encode(record.toCbor())).hex()).as(name).isEqualTo(Bytes.wrap(encoded).hex());
    return record;
  }

  private static Bytes sha256(String s) {
    return Bytes.wrap(PinCrypto.sha256(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Nested
  class CredentialManagement {
    @Test
    void getCredsMetadata() {
      assertThat(read("credman-meta", CredentialManagementResponse::fromCbor)).isEqualTo(CredentialManagementResponse.ofMetadata(0, 25));
    }

    @Test
    void enumerateRps_beginCarriesTotalRpsAndTheNextOnesDoNot() {
      assertThat(read("credman-rp-yubico", CredentialManagementResponse::fromCbor))
          .isEqualTo(CredentialManagementResponse.ofRp(new PublicKeyCredentialRpEntity("yubico.com", Optional.empty()), sha256("yubico.com"), Optional.of(3L)));
      assertThat(read("credman-rp-yubikey", CredentialManagementResponse::fromCbor))
          .isEqualTo(CredentialManagementResponse.ofRp(new PublicKeyCredentialRpEntity("yubikey.org", Optional.empty()), sha256("yubikey.org"), Optional.empty()));
      assertThat(read("credman-rp-webauthn", CredentialManagementResponse::fromCbor))
          .isEqualTo(CredentialManagementResponse.ofRp(new PublicKeyCredentialRpEntity("webauthn.dev", Optional.empty()), sha256("webauthn.dev"), Optional.empty()));
    }

    @Test
    void enumerateCredentialsBegin() {
      CredentialManagementResponse r = read("credman-rk-1", CredentialManagementResponse::fromCbor);
      PublicKeyCredentialUserEntity user = r.user().orElseThrow();
      assertThat(user.id().length()).isEqualTo(32);
      assertThat(user.name()).contains("bob banana");
      assertThat(user.displayName()).contains("bbanana");
      PublicKeyCredentialDescriptor credential = r.credentialId().orElseThrow();
      assertThat(credential.type()).isEqualTo(PublicKeyCredentialDescriptor.PUBLIC_KEY);
      assertThat(credential.id().length()).isEqualTo(16);
      assertThat(credential.transports()).isEmpty();
      CborMap key = r.publicKey().orElseThrow();
      assertThat(key.longValue(1)).isEqualTo(2); // kty EC2
      assertThat(key.longValue(3)).isEqualTo(-7); // ES256
      assertThat(r.totalCredentials()).contains(5L);
      assertThat(r.credProtect()).contains(1L);
      assertThat(r.largeBlobKey()).isEmpty();
      assertThat(r.thirdPartyPayment()).isEmpty();
      assertThat(r.rp()).isEmpty();
    }
  }

  @Nested
  class BioEnrollment {
    @Test
    void getFingerprintSensorInfo_aDeviceMayLeaveOutModality() {
      BioEnrollmentResponse r = read("bio-info", BioEnrollmentResponse::fromCbor);
      assertThat(r.modality()).isEmpty();
      assertThat(r.fingerprintKind()).contains(BioEnrollmentResponse.FINGERPRINT_KIND_TOUCH);
      assertThat(r.maxCaptureSamplesRequiredForEnroll()).contains(4L);
    }

    @Test
    void enrollBeginThenTwoSamples() {
      assertThat(read("bio-enroll-begin", BioEnrollmentResponse::fromCbor))
          .isEqualTo(BioEnrollmentResponse.ofSample(Optional.of(Bytes.fromHex("6896")), 0, 2));
      assertThat(read("bio-enroll-next-1", BioEnrollmentResponse::fromCbor)).isEqualTo(BioEnrollmentResponse.ofSample(Optional.empty(), 0, 1));
      assertThat(read("bio-enroll-next-0", BioEnrollmentResponse::fromCbor)).isEqualTo(BioEnrollmentResponse.ofSample(Optional.empty(), 0, 0));
    }

    @Test
    void enumerateEnrollments() {
      assertThat(read("bio-enumerate", BioEnrollmentResponse::fromCbor))
          .isEqualTo(
              BioEnrollmentResponse.ofTemplateInfos(
                  List.of(
                      new BioEnrollmentResponse.TemplateInfo(Bytes.fromHex("cea3"), Optional.of("finger1")),
                      new BioEnrollmentResponse.TemplateInfo(Bytes.fromHex("bf5e"), Optional.of("finger2")),
                      new BioEnrollmentResponse.TemplateInfo(Bytes.fromHex("5ed2"), Optional.of("finger3")))));
    }
  }
}
