package dev.softkey.core.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.platform.WebAuthnClient;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The client's side of enterprise attestation (WebAuthn L3 section 5.1.3 "enterprise", CTAP 2.1
 * sections 6.1.1 and 7.1): enterpriseAttestation (0x0A) is sent only when the RP asks for
 * "enterprise", the client's policy lists the RP ID and the authenticator reports ep true.
 */
class EnterpriseAttestationClientTest {
  static final String ORIGIN = "https://login.example.com";
  final FakeAuthenticator key = new FakeAuthenticator();

  static String options(String attestation) {
    return WebAuthnClientTest.creationOptions(",\"attestation\":\"" + attestation + "\"");
  }

  Optional<Object> sent(WebAuthnClient client, String attestation) {
    client.create(options(attestation), ORIGIN, Optional.empty());
    CborMap req = key.last(0x01).params();
    return req.opt(0x0AL);
  }

  @Test
  void enterprise_allowedRpId_epTrue_sendsPlatformManaged2() {
    key.options.put("ep", true);
    WebAuthnClient c = WebAuthnClient.builder(key).enterpriseAttestation(List.of("example.com"), 2).build();
    assertThat(sent(c, "enterprise")).contains(2L);
  }

  @Test
  void enterprise_vendorFacilitatedPolicy_sends1() {
    key.options.put("ep", true);
    WebAuthnClient c = WebAuthnClient.builder(key).enterpriseAttestation(List.of("example.com"), 1).build();
    assertThat(sent(c, "enterprise")).contains(1L);
  }

  @Test
  void enterprise_rpIdNotInThePolicy_isTreatedAsDirect() {
    key.options.put("ep", true);
    WebAuthnClient c = WebAuthnClient.builder(key).enterpriseAttestation(List.of("other.example"), 2).build();
    assertThat(sent(c, "enterprise")).isEmpty();
  }

  @Test
  void enterprise_withoutAnyPolicy_isTreatedAsDirect() {
    key.options.put("ep", true);
    assertThat(sent(WebAuthnClient.builder(key).build(), "enterprise")).isEmpty();
  }

  @Test
  void enterprise_authenticatorEpFalseOrAbsent_sendsNothing() {
    WebAuthnClient c = WebAuthnClient.builder(key).enterpriseAttestation(List.of("example.com"), 2).build();
    assertThat(sent(c, "enterprise")).isEmpty();
    key.options.put("ep", false);
    assertThat(sent(c, "enterprise")).isEmpty();
  }

  @Test
  void direct_neverSendsEnterpriseAttestation_evenForAnAllowedRp() {
    key.options.put("ep", true);
    WebAuthnClient c = WebAuthnClient.builder(key).enterpriseAttestation(List.of("example.com"), 2).build();
    assertThat(sent(c, "direct")).isEmpty();
    assertThat(sent(c, "none")).isEmpty();
  }
}
