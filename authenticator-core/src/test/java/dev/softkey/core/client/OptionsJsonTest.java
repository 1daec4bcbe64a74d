package dev.softkey.core.client;

import dev.softkey.platform.CreationOptions;
import dev.softkey.platform.CredentialDescriptor;
import dev.softkey.platform.RequestOptions;
import dev.softkey.platform.WebAuthnException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.WebAuthnException.Name;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading PublicKeyCredentialCreationOptionsJSON / RequestOptionsJSON (WebAuthn L3 section 5.1.9, 5.1.10). */
class OptionsJsonTest {

  static void assertName(Runnable r, Name name, String messagePart) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(WebAuthnException.class, e -> {
          assertThat(e.name()).isEqualTo(name);
          assertThat(e.getMessage()).contains(messagePart);
        });
  }

  @Test
  void creation_readsMembersAndDefaults() {
    CreationOptions o = CreationOptions.fromJson(WebAuthnClientTest.creationOptions(""));
    assertThat(o.rpId()).contains("example.com");
    assertThat(o.userId()).isEqualTo(Bytes.fromHex("757365722d31"));
    assertThat(o.challenge()).isEqualTo(Bytes.fromBase64Url(WebAuthnClientTest.CHALLENGE));
    assertThat(o.pubKeyCredParams()).hasSize(3);
    assertThat(o.userVerification()).isEqualTo("preferred");
    assertThat(o.attestation()).isEqualTo("none");
    assertThat(o.residentKey()).isEmpty();
    assertThat(o.requireResidentKey()).isFalse();
    assertThat(o.extensions()).isEqualTo(CreationOptions.Extensions.NONE);
  }

  @Test
  void publicKeyWrapper_isUnwrapped() {
    String wrapped = "{\"publicKey\":" + WebAuthnClientTest.creationOptions("") + "}";
    assertThat(CreationOptions.fromJson(wrapped)).isEqualTo(CreationOptions.fromJson(WebAuthnClientTest.creationOptions("")));
    RequestOptions r = RequestOptions.fromJson("{\"publicKey\":" + WebAuthnClientTest.requestOptions("") + ",\"mediation\":\"optional\"}");
    assertThat(r.rpId()).contains("example.com");
  }

  @Test
  void missingRequiredMember_isTypeError() {
    String noChallenge = WebAuthnClientTest.creationOptions("").replace("\"challenge\":\"" + WebAuthnClientTest.CHALLENGE + "\",", "");
    assertName(() -> CreationOptions.fromJson(noChallenge), Name.TypeError, "challenge");
    assertName(() -> CreationOptions.fromJson(WebAuthnClientTest.creationOptions("").replace("\"name\":\"Example\"", "\"x\":1")), Name.TypeError, "rp.name");
    assertName(() -> RequestOptions.fromJson("{}"), Name.TypeError, "challenge");
  }

  @Test
  void badBase64Url_isEncodingError() {
    assertName(() -> RequestOptions.fromJson("{\"challenge\":\"a+b/\"}"), Name.EncodingError, "challenge");
  }

  @Test
  void wrongTypes_andInvalidJson_areTypeErrors() {
    assertName(() -> RequestOptions.fromJson("{\"challenge\":\"AAAA\",\"allowCredentials\":{}}"), Name.TypeError, "allowCredentials");
    assertName(() -> RequestOptions.fromJson("[1]"), Name.TypeError, "object");
    assertName(() -> RequestOptions.fromJson("{\"challenge\":"), Name.TypeError, "JSON");
  }

  @Test
  void userIdLongerThan64Bytes_isTypeError() {
    String longId = Bytes.wrap(new byte[65]).base64Url();
    assertName(() -> CreationOptions.fromJson(WebAuthnClientTest.creationOptions("").replace("dXNlci0x", longId)), Name.TypeError, "user.id");
  }

  @Test
  void request_readsAllowCredentialsAndUserVerification() {
    RequestOptions r =
        RequestOptions.fromJson(WebAuthnClientTest.requestOptions(",\"allowCredentials\":[{\"type\":\"public-key\",\"id\":\"AQID\",\"transports\":[\"usb\",\"nfc\"]}],\"userVerification\":\"required\",\"timeout\":60000"));
    assertThat(r.allowCredentials()).containsExactly(new CredentialDescriptor("public-key", Bytes.fromHex("010203"), java.util.List.of("usb", "nfc")));
    assertThat(r.userVerification()).isEqualTo("required");
    assertThat(RequestOptions.fromJson("{\"challenge\":\"AAAA\"}").rpId()).isEqualTo(Optional.empty());
  }
}
