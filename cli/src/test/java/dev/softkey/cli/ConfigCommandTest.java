package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.model.Bytes;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code softkey config ...} and {@code webauthn create --enterprise-rp-id} against a real key in a file store. */
class ConfigCommandTest {
  static final String NL = System.lineSeparator();
  static final String CREATE_UV =
      "{\"publicKey\":{\"rp\":{\"name\":\"Example\"},\"user\":{\"id\":\"AQID\",\"name\":\"a\",\"displayName\":\"A\"},"
          + "\"challenge\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"pubKeyCredParams\":[{\"type\":\"public-key\",\"alg\":-7}],"
          + "\"authenticatorSelection\":{\"userVerification\":\"discouraged\"},\"attestation\":\"%s\"}}";

  @TempDir Path dir;

  CliRunner.Result run(String stdin, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--store";
    all[1] = dir.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRunner.run(new DeviceFactory(), stdin, all);
  }

  CliRunner.Result cli(String... args) {
    return run("", args);
  }

  static X509Certificate attestationCertificate(CliRunner.Result reg) throws Exception {
    JsonNode n = new ObjectMapper().readTree(reg.out());
    byte[] attObj = Base64.getUrlDecoder().decode(n.at("/response/attestationObject").asText());
    CborMap m = (CborMap) CborDecoder.decode(attObj);
    Bytes der = (Bytes) m.map("attStmt").list("x5c").get(0);
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der.toArray()));
  }

  @Nested
  class MinPinLength {
    @Test
    void withoutPin_raisesTheMinimum_andInfoShowsIt() {
      CliRunner.Result r = cli("config", "min-pin-length", "6");
      assertThat(r.err()).isEmpty();
      assertThat(r.code()).isZero();
      assertThat(r.out()).isEqualTo("Minimum PIN length is 6." + NL);
      assertThat(cli("pin", "set", "--new-pin", "12345").err()).contains("CTAP2_ERR_PIN_POLICY_VIOLATION");
    }

    @Test
    void keyWithPin_withoutPinOption_saysHowToGiveIt_exit2() {
      assertThat(cli("pin", "set", "--new-pin", "123456").code()).isZero();
      CliRunner.Result r = cli("config", "min-pin-length", "6");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).isEqualTo("softkey: config min-pin-length: this key has a PIN; give it with --pin-env VAR, --pin-file FILE or --pin PIN" + NL);
    }

    @Test
    void forceChange_thenThePinIsRefusedUntilPinChange() {
      assertThat(cli("pin", "set", "--new-pin", "123456").code()).isZero();
      CliRunner.Result r = cli("config", "min-pin-length", "6", "--force-change", "--pin", "123456");
      assertThat(r.err()).isEmpty();
      assertThat(r.out()).isEqualTo("Minimum PIN length is 6; the PIN must be changed (softkey pin change) before it is accepted again." + NL);
      CliRunner.Result again = cli("config", "min-pin-length", "7", "--pin", "123456");
      assertThat(again.code()).isEqualTo(1);
      assertThat(again.err()).contains("CTAP2_ERR_PIN_POLICY_VIOLATION").contains("softkey pin change");
      assertThat(cli("pin", "change", "--pin", "123456", "--new-pin", "654321").code()).isZero();
      assertThat(cli("config", "min-pin-length", "7", "--pin", "654321").out()).startsWith("Minimum PIN length is 7");
    }

    @Test
    void decrease_isRefused_withWhatToDo() {
      assertThat(cli("config", "min-pin-length", "8").code()).isZero();
      CliRunner.Result r = cli("config", "min-pin-length", "6");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).startsWith("softkey: config min-pin-length failed: CTAP2_ERR_PIN_POLICY_VIOLATION: the minimum PIN length can only grow");
    }

    @Test
    void tooManyRpIds_saysWhereTheLimitIs() {
      CliRunner.Result r = cli("config", "min-pin-length", "--rp-id", "a.test,b.test,c.test,d.test,e.test");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("CTAP2_ERR_KEY_STORE_FULL").contains("maxRPIDsForSetMinPINLength");
      assertThat(cli("config", "min-pin-length", "--rp-id", "a.test", "--rp-id", "b.test").code()).isZero();
    }

    @Test
    void nothingToDo_orOutOfRange_isAUsageError() {
      assertThat(cli("config", "min-pin-length").code()).isEqualTo(2);
      CliRunner.Result r = cli("config", "min-pin-length", "3");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("4..63");
    }

    @Test
    void forceChangeWithoutPin_saysToSetOne() {
      CliRunner.Result r = cli("config", "min-pin-length", "--force-change");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("CTAP2_ERR_PIN_NOT_SET").contains("softkey pin set");
    }
  }

  @Nested
  class AlwaysUv {
    @Test
    void on_thenCreateNeedsUv_off_thenItDoesNot() {
      CliRunner.Result on = cli("config", "always-uv", "on");
      assertThat(on.err()).isEmpty();
      assertThat(on.out()).isEqualTo("alwaysUv is on." + NL);
      assertThat(cli("config", "always-uv", "on").out()).isEqualTo("alwaysUv was already on." + NL);
      assertThat(cli("info").out()).contains("alwaysUv");
      CliRunner.Result create = run(String.format(CREATE_UV, "none"), "webauthn", "create", "--origin", "https://example.com");
      assertThat(create.code()).isEqualTo(1);
      assertThat(create.err()).contains("CTAP2_ERR_PUAT_REQUIRED");
      assertThat(cli("config", "always-uv", "off").out()).isEqualTo("alwaysUv is off." + NL);
      assertThat(run(String.format(CREATE_UV, "none"), "webauthn", "create", "--origin", "https://example.com").code()).isZero();
    }

    @Test
    void badState_isAUsageError() {
      CliRunner.Result r = cli("config", "always-uv", "maybe");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("give on or off");
    }

    @Test
    void modelWithoutConfig_saysToChooseAnotherProfile() {
      CliRunner.Result r = cli("--profile", "yubikey-5", "config", "always-uv", "on");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("does not support authenticatorConfig").contains("--profile generic");
    }
  }

  @Nested
  class EnterpriseAttestation {
    @Test
    void enable_thenCreateWithTheRpIdAllowed_getsTheEnterpriseCertificate() throws Exception {
      CliRunner.Result en = cli("config", "enterprise-attestation");
      assertThat(en.err()).isEmpty();
      assertThat(en.out()).isEqualTo("Enterprise attestation is enabled." + NL);
      CliRunner.Result ent =
          run(String.format(CREATE_UV, "enterprise"), "webauthn", "create", "--origin", "https://example.com", "--enterprise-rp-id", "example.com");
      assertThat(ent.err()).isEmpty();
      assertThat(attestationCertificate(ent).getSubjectX500Principal().getName()).contains("softkey Enterprise Attestation generic");
      // Not in the client's list: what "direct" gets, the batch certificate.
      CliRunner.Result direct =
          run(String.format(CREATE_UV, "enterprise"), "webauthn", "create", "--origin", "https://example.com", "--enterprise-rp-id", "other.test");
      assertThat(attestationCertificate(direct).getSubjectX500Principal().getName()).contains("softkey Batch Attestation generic");
    }

    @Test
    void vendorMode_onlyForTheModelsRpIds() throws Exception {
      assertThat(cli("config", "enterprise-attestation").code()).isZero();
      CliRunner.Result other =
          run(String.format(CREATE_UV, "enterprise"), "webauthn", "create", "--origin", "https://example.com",
              "--enterprise-rp-id", "example.com", "--enterprise-mode", "vendor");
      assertThat(attestationCertificate(other).getSubjectX500Principal().getName()).contains("Batch");
      CliRunner.Result listed =
          run(String.format(CREATE_UV, "enterprise"), "webauthn", "create", "--origin", "https://enterprise.softkey.test",
              "--enterprise-rp-id", "enterprise.softkey.test", "--enterprise-mode", "vendor");
      assertThat(attestationCertificate(listed).getSubjectX500Principal().getName()).contains("Enterprise");
    }

    @Test
    void modelNotCapable_saysWhichIs() {
      CliRunner.Result r = cli("--profile", "bio", "config", "enterprise-attestation");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("not enterprise attestation capable");
    }
  }
}
