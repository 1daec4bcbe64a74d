package dev.softkey.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The events stream delivers every CTAP request and response of a ceremony, in order. */
class EventsTest {
  ControlServer server;
  ApiClient api;

  @BeforeEach
  void start() {
    server = ControlServer.builder().build().start();
    api = new ApiClient(server);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void everyRequestOfACeremony_inOrder_eachFollowedByItsResponse() throws Exception {
    String id = api.addAuthenticator(Map.of("hasResidentKey", true, "softkey:seed", 3));
    try (EventStream events = new EventStream(api, id).awaitConnected()) {
      ApiClient.Response c = api.post("/webauthn/authenticator/" + id + "/webauthn/create",
          Ceremony.body(Ceremony.creationOptions(true, "discouraged")));
      assertThat(c.status()).as(c.body()).isEqualTo(200);
      List<EventStream.Event> all = events.until(e -> e.name().equals("ctapResponse")
          && e.data().get("command").asText().equals("authenticatorMakeCredential"));
      // The credential event comes while makeCredential runs, between its request and response.
      assertThat(all.stream().map(EventStream.Event::name)).containsExactly("ctapRequest", "ctapResponse", "ctapRequest",
          "credentialAdded", "ctapResponse");
      List<EventStream.Event> got = all.stream().filter(e -> e.name().startsWith("ctap")).toList();

      List<String> requests = new ArrayList<>();
      long previous = 0;
      for (int i = 0; i < got.size(); i += 2) {
        EventStream.Event req = got.get(i);
        EventStream.Event resp = got.get(i + 1);
        assertThat(req.name()).isEqualTo("ctapRequest");
        assertThat(resp.name()).isEqualTo("ctapResponse");
        long seq = req.data().get("sequence").asLong();
        assertThat(seq).isGreaterThan(previous);
        assertThat(resp.data().get("sequence").asLong()).isEqualTo(seq);
        assertThat(resp.data().get("command").asText()).isEqualTo(req.data().get("command").asText());
        assertThat(resp.data().get("status").asText()).isEqualTo("CTAP2_OK");
        previous = seq;
        requests.add(req.data().get("command").asText());
      }
      assertThat(requests).containsExactly("authenticatorGetInfo", "authenticatorMakeCredential");

      EventStream.Event mc = got.get(2);
      assertThat(mc.data().at("/params/rp/id").asText()).isEqualTo("example.com");
      assertThat(mc.data().at("/params/user/name").asText()).isEqualTo("alice");
      assertThat(mc.data().at("/params/clientDataHash").asText()).hasSize(43);
      assertThat(mc.data().at("/params/pubKeyCredParams/0/alg").asInt()).isEqualTo(-7);
      assertThat(mc.data().at("/params/options/rk").asBoolean()).isTrue();
      EventStream.Event info = got.get(1);
      assertThat(info.data().at("/body/aaguid").asText()).isNotEmpty();
      assertThat(info.data().at("/body/versions").toString()).contains("FIDO_2_1");
      EventStream.Event mcResp = got.get(3);
      assertThat(mcResp.data().at("/body/fmt").asText()).isEqualTo("packed");
      assertThat(mcResp.data().at("/body/authData").asText()).isNotEmpty();

      // A get afterwards: its requests follow on the same stream.
      api.post("/webauthn/authenticator/" + id + "/webauthn/get", Ceremony.body(Ceremony.requestOptions("discouraged")));
      List<EventStream.Event> more = events.until(e -> e.name().equals("ctapResponse")
          && e.data().get("command").asText().equals("authenticatorGetAssertion")).stream().filter(e -> e.name().startsWith("ctap")).toList();
      assertThat(more.stream().filter(e -> e.name().equals("ctapRequest")).map(e -> e.data().get("command").asText()))
          .containsExactly("authenticatorGetInfo", "authenticatorGetAssertion");
      assertThat(more.get(2).data().at("/params/rpId").asText()).isEqualTo("example.com");
      assertThat(more.get(0).data().get("sequence").asLong()).isGreaterThan(previous);
    }
  }

  @Test
  void credentialEvents_added_asserted_updated_deleted() throws Exception {
    String id = api.addAuthenticator(Map.of("hasResidentKey", true));
    String a = "/webauthn/authenticator/" + id;
    try (EventStream events = new EventStream(api, id).awaitConnected()) {
      String cred = api.post(a + "/webauthn/create", Ceremony.body(Ceremony.creationOptions(true, "discouraged"))).value().get("id").asText();
      EventStream.Event added = last(events.until(e -> e.name().startsWith("credential")));
      assertThat(added.name()).isEqualTo("credentialAdded");
      assertThat(added.data().get("credentialId").asText()).isEqualTo(cred);
      assertThat(added.data().get("rpId").asText()).isEqualTo("example.com");
      assertThat(added.data().toString()).doesNotContain("privateKey");

      api.post(a + "/webauthn/get", Ceremony.body(Ceremony.requestOptions("discouraged")));
      EventStream.Event asserted = last(events.until(e -> e.name().startsWith("credential")));
      assertThat(asserted.name()).isEqualTo("credentialAsserted");
      assertThat(asserted.data().get("signCount").asLong()).isGreaterThan(0);

      api.post(a + "/credentials/" + cred + "/props", Map.of("backupEligibility", true, "backupState", false));
      EventStream.Event updated = last(events.until(e -> e.name().startsWith("credential")));
      assertThat(updated.name()).isEqualTo("credentialUpdated");
      assertThat(updated.data().get("backupEligibility").asBoolean()).isTrue();

      api.delete(a + "/credentials/" + cred);
      EventStream.Event deleted = last(events.until(e -> e.name().startsWith("credential")));
      assertThat(deleted.name()).isEqualTo("credentialDeleted");
      assertThat(deleted.data().get("credentialId").asText()).isEqualTo(cred);
    }
  }

  @Test
  void droppedReply_isAnEventToo() throws Exception {
    String id = api.addAuthenticator(Map.of());
    String a = "/webauthn/authenticator/" + id;
    api.post(a + "/faults", Map.of("command", "getInfo", "dropReply", true));
    try (EventStream events = new EventStream(api, id).awaitConnected()) {
      var options = Ceremony.creationOptions(false, "discouraged");
      options.put("timeout", 300);
      assertThat(api.post(a + "/webauthn/create", Ceremony.body(options)).error()).isEqualTo("NotAllowedError");
      EventStream.Event resp = last(events.until(e -> e.name().equals("ctapResponse")));
      assertThat(resp.data().get("dropped").asBoolean()).isTrue();
      assertThat(resp.data().has("status")).isFalse();
    }
  }

  private static EventStream.Event last(List<EventStream.Event> events) {
    return events.get(events.size() - 1);
  }

  @Test
  void removingTheAuthenticator_endsItsStream() throws Exception {
    String id = api.addAuthenticator(Map.of());
    EventStream events = new EventStream(api, id).awaitConnected();
    assertThat(events.statusCode()).isEqualTo(200);
    api.delete("/webauthn/authenticator/" + id);
    events.close();
  }

  @Test
  void ctapJson_decodesWhatItCan_andNeverThrows() {
    var bad = CtapJson.request(dev.softkey.ctap.model.Bytes.of(new byte[] {0x01, (byte) 0xff}));
    assertThat(bad.get("command").asText()).isEqualTo("authenticatorMakeCredential");
    assertThat(bad.at("/params/error").asText()).startsWith("not decodable");
    var unknown = CtapJson.request(dev.softkey.ctap.model.Bytes.of(new byte[] {0x55}));
    assertThat(unknown.get("command").asText()).isEqualTo("unknown");
    var empty = CtapJson.response(dev.softkey.ctap.model.Bytes.EMPTY, dev.softkey.ctap.model.Bytes.EMPTY);
    assertThat(empty.get("error").asText()).isEqualTo("empty response");
    var status = CtapJson.response(dev.softkey.ctap.model.Bytes.of(new byte[] {0x02}), dev.softkey.ctap.model.Bytes.of(new byte[] {0x2E}));
    assertThat(status.get("status").asText()).isEqualTo("CTAP2_ERR_NO_CREDENTIALS");
  }
}
