package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.yubico.webauthn.AssertionRequest;
import com.yubico.webauthn.AssertionResult;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.data.AttestationType;
import com.yubico.webauthn.data.Extensions;
import dev.softkey.cli.CliRunner.Result;
import dev.softkey.core.profile.Profiles;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.platform.provision.PinPolicy;
import dev.softkey.testvectors.EntraVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code softkey provision} (issue 10 part 4, entra.md): a Graph creationOptions response shaped
 * like the real capture in, the POST body verified by an RP configured as Entra, and the later
 * sign-in with the forced PIN change (CTAP 2.1 sections 6.11.4 and 6.5.5.7).
 */
class ProvisionCommandTest {
  static final String NL = System.lineSeparator();

  @TempDir Path dir;

  Path store() {
    return dir.resolve("key");
  }

  /** The installation CA of these tests, so that nothing outside the temporary directory is touched. */
  Path ca() {
    return dir.resolve("ca");
  }

  /** One command against the file store {@link #store()}, with {@code profile}; every run is a power cycle. */
  Result sk(String profile, String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of("--store", store().toString(), "--profile", profile, "--ca", ca().toString()));
    all.addAll(List.of(args));
    return CliRunner.run(new DeviceFactory(), stdin, all.toArray(String[]::new));
  }

  /** A challenge Graph still accepts for the next hour (the vector's own date is in the past by now). */
  static final String VALID_UNTIL = java.time.Instant.now().plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();

  static ObjectNode fixture() throws IOException {
    ObjectNode f = (ObjectNode) Json.MAPPER.readTree(EntraVectors.graphCreationOptions());
    f.put("challengeTimeoutDateTime", VALID_UNTIL);
    return f;
  }

  /** The fixture for another user: UPN, display name and a fresh 48-byte user id. */
  static ObjectNode fixtureFor(String upn, int n) throws IOException {
    ObjectNode f = fixture();
    ObjectNode user = (ObjectNode) f.get("publicKey").get("user");
    user.put("name", upn);
    user.put("displayName", "User " + n);
    byte[] id = new byte[48];
    java.util.Arrays.fill(id, (byte) n);
    user.put("id", Bytes.wrap(id).base64Url());
    return f;
  }

  Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  String rootPem(String profile) {
    Result r = sk(profile, "", "ca", "export");
    assertThat(r.code()).as(r.err()).isZero();
    return r.out();
  }

  /** What a provisioning run left behind. */
  record Provisioned(Result result, JsonNode postBody, JsonNode report, String csv) {
    String pin() {
      return report.get("pin").asText();
    }
  }

  Provisioned provision(String profile, JsonNode graph, String... extra) throws IOException {
    Path options = write("options.json", graph.toPrettyString());
    Path body = dir.resolve("post-body.json");
    Path csv = dir.resolve("report.csv");
    Path json = dir.resolve("report.json");
    Files.deleteIfExists(body);
    Files.deleteIfExists(csv);
    Files.deleteIfExists(json);
    List<String> args = new ArrayList<>(List.of("provision", "--options", options.toString(), "--post-body", body.toString(),
        "--report", csv.toString(), "--report", json.toString()));
    args.addAll(List.of(extra));
    Result r = sk(profile, "", args.toArray(String[]::new));
    if (r.code() != 0) {
      return new Provisioned(r, null, null, null);
    }
    return new Provisioned(r, Json.MAPPER.readTree(body.toFile()), Json.MAPPER.readTree(json.toFile()).get(0), Files.readString(csv));
  }

  @Nested
  class EntraRoundTrip {
    @Test
    void thePostBody_isARegistrationEntraAccepts_packedAttestationTrusted_uvAndCredProtect1() throws Exception {
      ObjectNode graph = fixture();
      String root = rootPem("generic");
      Provisioned p = provision("generic", graph);
      assertThat(p.result().code()).as(p.result().err()).isZero();
      assertThat(p.result().out()).isEmpty();
      assertThat(p.result().err()).doesNotContain(p.pin()).contains("softkey: provisioned AdeleV@contoso.com on " + store() + " (");

      // The POST body: exactly {displayName, publicKeyCredential: {id, response: {clientDataJSON, attestationObject}, clientExtensionResults}}.
      assertThat(fieldNames(p.postBody())).containsExactly("displayName", "publicKeyCredential");
      assertThat(fieldNames(p.postBody().get("publicKeyCredential"))).containsExactly("id", "response", "clientExtensionResults");
      assertThat(fieldNames(p.postBody().get("publicKeyCredential").get("response"))).containsExactly("clientDataJSON", "attestationObject");
      assertThat(p.postBody().toString()).doesNotContain("=");
      JsonNode clientData =
          Json.MAPPER.readTree(Base64.getUrlDecoder().decode(p.postBody().get("publicKeyCredential").get("response").get("clientDataJSON").asText()));
      assertThat(clientData.get("origin").asText()).isEqualTo("https://login.microsoft.com");
      assertThat(clientData.get("challenge").asText()).isEqualTo(graph.get("publicKey").get("challenge").asText());

      EntraRp rp = new EntraRp("AdeleV@contoso.com", Base64.getUrlDecoder().decode(graph.get("publicKey").get("user").get("id").asText()), root);
      RegistrationResult reg = rp.register(graph, p.postBody());
      assertThat(reg.isAttestationTrusted()).isTrue();
      assertThat(reg.getAttestationType()).isEqualTo(AttestationType.BASIC);
      assertThat(reg.isUserVerified()).isTrue();
      // Discoverable: the later sign-in (below) finds the credential with an empty allowCredentials.
      assertThat(reg.getCredProtectPolicy()).contains(Extensions.CredentialProtection.CredentialProtectionPolicy.UV_OPTIONAL);
      assertThat(authDataExtensions(p.postBody()).asMap()).containsEntry("credProtect", 1L);
      assertThat(p.report().get("attestationFormat").asText()).isEqualTo("packed");
      assertThat(p.report().get("credentialId").asText()).isEqualTo(reg.getKeyId().getId().getBase64Url());
      assertThat(p.report().get("aaguid").asText()).isEqualTo(Profiles.load("generic").identity().aaguid().toString());
    }

    @Test
    void aLaterProcess_signsIn_onlyAfterThePinChange_theAssertionVerifiedByTheSameRp() throws Exception {
      ObjectNode graph = fixture();
      EntraRp rp = new EntraRp("AdeleV@contoso.com", Base64.getUrlDecoder().decode(graph.get("publicKey").get("user").get("id").asText()), rootPem("generic"));
      Provisioned p = provision("generic", graph);
      assertThat(p.result().code()).as(p.result().err()).isZero();
      rp.register(graph, p.postBody());
      assertThat(p.report().get("forcePinChange").asBoolean()).isTrue();
      assertThat(p.report().get("minPinLength").asInt()).isEqualTo(6);
      assertThat(p.report().get("authenticatorConfig").asText())
          .isEqualTo("setMinPINLength(newMinPINLength=6); setMinPINLength(forceChangePin=true)");
      assertThat(sk("generic", "", "info", "--json").out()).contains("\"forcePINChange\" : true");

      // 1. The first sign-in with the PIN from the report: getPinUvAuthTokenUsingPinWithPermissions answers
      //    CTAP2_ERR_PIN_POLICY_VIOLATION while forcePINChange is set (CTAP 2.1 section 6.5.5.7.2).
      Path pinFile = write("pin", p.pin() + "\n");
      AssertionRequest first = rp.startAssertion();
      Path get = write("get.json", first.toCredentialsGetJson());
      Result refused = sk("generic", "", "webauthn", "get", "--origin", "https://login.microsoft.com", "--options", get.toString(), "--pin-file", pinFile.toString());
      assertThat(refused.code()).isEqualTo(1);
      assertThat(refused.err())
          .startsWith("softkey: NotAllowedError: the key wants its PIN changed before it accepts it")
          .contains("run 'softkey pin change'")
          .contains("CTAP2_ERR_PIN_POLICY_VIOLATION")
          .doesNotContain(p.pin());

      // 2. softkey pin change (the same PIN again is refused: CTAP 2.1 section 6.5.5.6 step 13).
      Path same = write("same", p.pin() + "\n");
      assertThat(sk("generic", "", "pin", "change", "--pin-file", pinFile.toString(), "--new-pin-file", same.toString()).err())
          .contains("CTAP2_ERR_PIN_POLICY_VIOLATION");
      Path newPin = write("new-pin", "4711-8-15\n");
      Result change = sk("generic", "", "pin", "change", "--pin-file", pinFile.toString(), "--new-pin-file", newPin.toString());
      assertThat(change.code()).as(change.err()).isZero();
      assertThat(sk("generic", "", "info", "--json").out()).doesNotContain("\"forcePINChange\" : true");

      // 3. The sign-in succeeds, and Entra's RP verifies it.
      AssertionRequest second = rp.startAssertion();
      Path get2 = write("get2.json", second.toCredentialsGetJson());
      Result ok = sk("generic", "", "webauthn", "get", "--origin", "https://login.microsoft.com", "--options", get2.toString(), "--pin-file", newPin.toString());
      assertThat(ok.code()).as(ok.err()).isZero();
      AssertionResult result = rp.finishAssertion(second, ok.out());
      assertThat(result.isSuccess()).isTrue();
      assertThat(result.isUserVerified()).isTrue();
      assertThat(result.getUsername()).isEqualTo("AdeleV@contoso.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"generic", "yubikey-5-nfc-5-7-4"})
    void aModelWithSetMinPinLength_getsTheMinimumAndTheForcedChange(String profile) throws Exception {
      assumeTrue(Profiles.allBuiltIn().stream().anyMatch(x -> x.id().equals(profile)), profile + " is not in the catalogue yet");
      Provisioned p = provision(profile, fixture());
      assertThat(p.result().code()).as(p.result().err()).isZero();
      assertThat(p.report().get("forcePinChange").asBoolean()).isTrue();
      assertThat(p.report().get("authenticatorConfig").asText()).contains("forceChangePin=true");
      assertThat(new EntraRp("AdeleV@contoso.com", new byte[48], rootPem(profile)).register(fixture(), p.postBody()).isAttestationTrusted()).isTrue();
    }

    @Test
    void aModelWithoutSetMinPinLength_getsNoAuthenticatorConfig_andTheReportSaysSo() throws Exception {
      ObjectNode graph = fixture();
      Provisioned p = provision("yubikey-5", graph);
      assertThat(p.result().code()).as(p.result().err()).isZero();
      assertThat(p.report().get("authenticatorConfig").asText()).startsWith("not sent: the key's getInfo has no setMinPINLength option");
      assertThat(p.report().get("forcePinChange").asBoolean()).isFalse();
      assertThat(p.report().get("model").asText()).isEqualTo("YubiKey 5 Series with NFC, firmware 5.4.2");
      assertThat(p.result().err()).contains("no forced PIN change");
      EntraRp rp = new EntraRp("AdeleV@contoso.com", Base64.getUrlDecoder().decode(graph.get("publicKey").get("user").get("id").asText()), rootPem("yubikey-5"));
      assertThat(rp.register(graph, p.postBody()).isAttestationTrusted()).isTrue();
      // The PIN from the report works at once.
      AssertionRequest req = rp.startAssertion();
      Result ok = sk("yubikey-5", "", "webauthn", "get", "--origin", "https://login.microsoft.com", "--options", write("get.json", req.toCredentialsGetJson()).toString(),
          "--pin-file", write("pin", p.pin() + "\n").toString());
      assertThat(ok.code()).as(ok.err()).isZero();
      assertThat(rp.finishAssertion(req, ok.out()).isSuccess()).isTrue();
    }
  }

  @Nested
  class TheReport {
    @Test
    void csvAndJson_holdTheSameLine_ownerOnly_andThePinFollowsThePolicy() throws Exception {
      Provisioned p = provision("generic", fixture());
      assertThat(p.result().code()).as(p.result().err()).isZero();
      for (String f : List.of("report.csv", "report.json")) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f)))).isEqualTo("rw-------");
      }
      String pin = p.pin();
      assertThat(PinPolicy.defaults().allows(pin)).isTrue();
      String[] lines = p.csv().split("\r\n");
      assertThat(lines).hasSize(2);
      assertThat(lines[0]).isEqualTo(String.join(",", dev.softkey.platform.provision.ProvisioningReport.CSV_COLUMNS));
      assertThat(lines[1]).startsWith("AdeleV@contoso.com,").contains("," + pin + ",").contains(",packed,");
      assertThat(p.report().get("upn").asText()).isEqualTo("AdeleV@contoso.com");
      assertThat(p.report().get("key").asText()).isEqualTo(store().toString());
      assertThat(p.report().get("challengeTimeoutDateTime").asText()).isEqualTo(VALID_UNTIL);
      // The PIN is nowhere but in the reports: not in the POST body, not on the terminal.
      assertThat(p.postBody().toString()).doesNotContain(pin);
      assertThat(p.result().out() + p.result().err()).doesNotContain(pin);
    }

    @Test
    void withoutAReport_thePinWouldBeLost_soTheRunIsRefusedBeforeTheKeyIsTouched() throws Exception {
      Path options = write("options.json", fixture().toString());
      Result r = sk("generic", "", "provision", "--options", options.toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).isEqualTo("softkey: the PIN set on the key goes only into the report: give --report FILE.csv or --report FILE.json"
          + " (or --show-pin to print it)" + NL);
      assertThat(sk("generic", "", "info", "--json").out()).contains("\"clientPin\" : false");
    }

    @Test
    void anExistingReport_isNeverOverwritten() throws Exception {
      Path options = write("options.json", fixture().toString());
      Path report = write("old.csv", "keep me\n");
      Result r = sk("generic", "", "provision", "--options", options.toString(), "--report", report.toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains(report + " already exists");
      assertThat(Files.readString(report)).isEqualTo("keep me\n");
    }

    @Test
    void showPin_printsThePinAlone_onStdout() throws Exception {
      Path options = write("options.json", fixture().toString());
      Result r = sk("generic", "", "provision", "--options", options.toString(), "--post-body", dir.resolve("b.json").toString(), "--show-pin");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out().strip()).hasSize(6).containsOnlyDigits();
      assertThat(r.err()).doesNotContain(r.out().strip());
    }

    @Test
    void pinLength_givesLongerPins_andTheNewMinimum() throws Exception {
      Provisioned p = provision("generic", fixture(), "--pin-length", "8");
      assertThat(p.result().code()).as(p.result().err()).isZero();
      assertThat(p.pin()).hasSize(8).containsOnlyDigits();
      assertThat(p.report().get("minPinLength").asInt()).isEqualTo(8);
    }

    @Test
    void bannedPins_fromAFile_withANonDigitLine_isAUsageErrorNamingTheLine() throws Exception {
      Path banned = write("banned.txt", "# ours\n000111\nabc\n");
      Path options = write("options.json", fixture().toString());
      Result r = sk("generic", "", "provision", "--options", options.toString(), "--show-pin", "--post-body", dir.resolve("b.json").toString(),
          "--banned-pins", banned.toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).isEqualTo("softkey: " + banned + " line 3: a banned PIN is digits only; put one PIN per line" + NL);
    }
  }

  @Nested
  class KeysWithAPin {
    @Test
    void aKeyWithAPin_isRefusedWithoutReset_andNothingChanges() throws Exception {
      assertThat(sk("generic", "", "pin", "set", "--new-pin", "24680135").code()).isZero();
      Provisioned p = provision("generic", fixture());
      assertThat(p.result().code()).isEqualTo(1);
      assertThat(p.result().err()).startsWith("softkey: the key already has a PIN").endsWith("; give --reset to reset it" + NL);
      // No report is left behind, and the old PIN still works.
      assertThat(dir.resolve("report.csv")).doesNotExist();
      assertThat(dir.resolve("report.json")).doesNotExist();
      assertThat(sk("generic", "", "pin", "change", "--pin", "24680135", "--new-pin", "13572468").code()).isZero();
    }

    @Test
    void withReset_theKeyIsResetAndProvisioned() throws Exception {
      assertThat(sk("generic", "", "pin", "set", "--new-pin", "24680135").code()).isZero();
      Provisioned p = provision("generic", fixture(), "--reset");
      assertThat(p.result().code()).as(p.result().err()).isZero();
      assertThat(p.report().get("reset").asBoolean()).isTrue();
      assertThat(sk("generic", "", "credentials", "list", "--pin", "24680135").err()).contains("CTAP2_ERR_PIN");
    }
  }

  @Nested
  class ResetRefused {
    /** A key past its power-up window: authenticatorReset answers CTAP2_ERR_NOT_ALLOWED (CTAP 2.1 section 6.6). */
    final class LateForReset extends dev.softkey.core.ForwardingCtapDevice {
      LateForReset(dev.softkey.core.CtapDevice delegate) {
        super(delegate);
      }

      @Override
      public byte[] process(byte[] request, dev.softkey.core.OperationContext ctx) {
        if (request.length > 0 && request[0] == dev.softkey.ctap.CtapCommand.RESET.code()) {
          return new byte[] {(byte) dev.softkey.ctap.CtapStatus.CTAP2_ERR_NOT_ALLOWED.code()};
        }
        return super.process(request, ctx);
      }
    }

    @Test
    void notAllowed_saysToReplugTheKey_andNoReportIsLeft() throws Exception {
      assertThat(sk("generic", "", "pin", "set", "--new-pin", "24680135").code()).isZero();
      Path options = write("options.json", fixture().toString());
      Result r = CliRunner.run(new DeviceFactory(LateForReset::new), "", "--store", store().toString(), "--ca", ca().toString(),
          "provision", "--options", options.toString(), "--reset", "--report", dir.resolve("r.csv").toString());
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).isEqualTo("softkey: authenticatorReset was refused with CTAP2_ERR_NOT_ALLOWED (" + dev.softkey.ctap.CtapStatus.CTAP2_ERR_NOT_ALLOWED.meaning()
          + "): the key accepts authenticatorReset only shortly after power-up (CTAP 2.1 section 6.6: 10 s; YubiKeys before 5.5.2: 5 s):"
          + " unplug the key, plug it in and provision it again at once" + NL);
      assertThat(dir.resolve("r.csv")).doesNotExist();
    }
  }

  @Nested
  class ExcludeCredentials {
    /** A credential for login.microsoft.com made on the key (no PIN yet): its ID. */
    Bytes existingCredential() throws IOException {
      String create =
          "{\"publicKey\":{\"rp\":{\"id\":\"login.microsoft.com\",\"name\":\"Microsoft\"},\"user\":{\"id\":\"AQID\",\"name\":\"a\",\"displayName\":\"A\"},"
              + "\"challenge\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"pubKeyCredParams\":[{\"type\":\"public-key\",\"alg\":-7}]}}";
      Result r = sk("generic", "", "webauthn", "create", "--origin", "https://login.microsoft.com", "--options", write("create.json", create).toString());
      assertThat(r.code()).as(r.err()).isZero();
      return Bytes.fromBase64Url(Json.MAPPER.readTree(r.out()).get("rawId").asText());
    }

    void assertExcluded(String id) throws IOException {
      ObjectNode graph = fixture();
      ((ObjectNode) graph.get("publicKey").get("excludeCredentials").get(1)).put("id", id);
      Provisioned p = provision("generic", graph);
      assertThat(p.result().code()).isEqualTo(1);
      assertThat(p.result().err())
          .startsWith("softkey: InvalidStateError: a credential in publicKey.excludeCredentials is already on the key")
          .contains("CTAP2_ERR_CREDENTIAL_EXCLUDED");
      // Nothing was changed: still no PIN.
      assertThat(sk("generic", "", "info", "--json").out()).contains("\"clientPin\" : false");
    }

    @Test
    void anExcludedIdInStandardBase64WithPadding_onTheKey_isCredentialExcluded() throws IOException {
      String std = Base64.getEncoder().encodeToString(existingCredential().toArray());
      assertExcluded(std);
    }

    @Test
    void anExcludedIdInBase64url_onTheKey_isCredentialExcluded() throws IOException {
      assertExcluded(existingCredential().base64Url());
    }

    @Test
    void excludedIdsNotOnTheKey_areNoObstacle() throws IOException {
      existingCredential();
      Provisioned p = provision("generic", fixture());
      assertThat(p.result().code()).as(p.result().err()).isZero();
    }
  }

  @Nested
  class ChallengeTimeout {
    @Test
    void anExpiredChallenge_isProvisioned_withAWarningThatGraphWillRefuseTheBody() throws Exception {
      ObjectNode graph = fixture();
      graph.put("challengeTimeoutDateTime", "2024-06-13T15:24:37Z");
      Provisioned p = provision("generic", graph);
      assertThat(p.result().code()).as(p.result().err()).isZero();
      assertThat(p.result().err()).contains("softkey: warning: the challenge expired at 2024-06-13T15:24:37Z (challengeTimeoutDateTime):"
          + " Graph will refuse this POST body; fetch new creationOptions for a real tenant");
    }

    @Test
    void aChallengeStillValid_givesNoWarning() throws Exception {
      ObjectNode graph = fixture();
      Provisioned p = provision("generic", graph);
      assertThat(p.result().code()).as(p.result().err()).isZero();
      assertThat(p.result().err()).doesNotContain("warning");
    }
  }

  @Nested
  class MalformedOptions {
    @Test
    void aMissingField_isOneLineNamingTheFileAndTheField_exit2() throws Exception {
      ObjectNode graph = fixture();
      ((ObjectNode) graph.get("publicKey")).remove("challenge");
      Path options = write("options.json", graph.toString());
      Result r = sk("generic", "", "provision", "--options", options.toString(), "--report", dir.resolve("r.csv").toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).startsWith("softkey: " + options + ": publicKey.challenge is missing; give the Graph creationOptions response");
      assertThat(r.err().lines()).hasSize(1);
      assertThat(dir.resolve("r.csv")).doesNotExist();
    }

    @Test
    void anRpIdTheOriginCannotUse_isRefusedBeforeTheKeyIsChanged() throws Exception {
      // The v1.0 documentation's sample names login.microsoftonline.com; every real tenant sends login.microsoft.com.
      ObjectNode graph = fixture();
      ((ObjectNode) graph.get("publicKey").get("rp")).put("id", "login.microsoftonline.com");
      Path options = write("options.json", graph.toString());
      Result r = sk("generic", "", "provision", "--options", options.toString(), "--report", dir.resolve("r.csv").toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).startsWith("softkey: " + options + ": publicKey.rp.id is login.microsoftonline.com, which the origin https://login.microsoft.com cannot use");
      assertThat(sk("generic", "", "info", "--json").out()).contains("\"clientPin\" : false");
      assertThat(dir.resolve("r.csv")).doesNotExist();
    }

    @Test
    void theWrongUser_forUpn() throws Exception {
      Path options = write("options.json", fixture().toString());
      Result r = sk("generic", "", "provision", "--options", options.toString(), "--upn", "bob@contoso.com", "--report", dir.resolve("r.csv").toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("publicKey.user.name is AdeleV@contoso.com, not --upn bob@contoso.com");
    }
  }

  @Nested
  class Bulk {
    @Test
    void threeUsers_threeKeys_threeReportLines_andOneProgressLinePerKey() throws Exception {
      Path optionsDir = Files.createDirectories(dir.resolve("options"));
      List<String> upns = List.of("adele@contoso.com", "bob@contoso.com", "carol@contoso.com");
      List<ObjectNode> graphs = new ArrayList<>();
      for (int i = 0; i < upns.size(); i++) {
        ObjectNode g = fixtureFor(upns.get(i), i + 1);
        graphs.add(g);
        Files.writeString(optionsDir.resolve(upns.get(i) + ".json"), g.toPrettyString());
      }
      Path users = write("users.csv", "#User.Name,User.DisplayName\r\n" + String.join("\r\n", upns.stream().map(u -> u + ",\"" + u + ", x\"").toList()) + "\r\n");
      Path keys = dir.resolve("keys");
      // One installation CA: one root trusted once for every key.
      String root = rootPem("generic");
      Path csv = dir.resolve("bulk.csv");
      Path json = dir.resolve("bulk.json");
      Result r = CliRunner.run(new DeviceFactory(), "", "--profile", "generic", "--ca", ca().toString(), "provision", "--bulk", users.toString(), "--options-dir", optionsDir.toString(),
          "--keys-dir", keys.toString(), "--report", csv.toString(), "--report", json.toString());
      assertThat(r.code()).as(r.err()).isZero();
      List<String> progress = r.err().lines().filter(l -> l.startsWith("softkey: [")).toList();
      assertThat(progress).hasSize(3);
      assertThat(progress.get(0)).startsWith("softkey: [1/3] provisioned adele@contoso.com on " + keys.resolve("key-1"));
      assertThat(progress.get(2)).startsWith("softkey: [3/3] provisioned carol@contoso.com on " + keys.resolve("key-3"));
      assertThat(Files.readString(csv).split("\r\n")).hasSize(4);
      ArrayNode reports = (ArrayNode) Json.MAPPER.readTree(json.toFile());
      assertThat(reports).hasSize(3);
      for (int i = 0; i < 3; i++) {
        JsonNode report = reports.get(i);
        assertThat(report.get("upn").asText()).isEqualTo(upns.get(i));
        assertThat(r.err()).doesNotContain(report.get("pin").asText());
        assertThat(keys.resolve("key-" + (i + 1)).resolve(dev.softkey.core.store.FileStore.STATE_FILE_NAME)).exists();
        // Each POST body is a registration of that user's options by that key.
        JsonNode body = Json.MAPPER.readTree(keys.resolve("post-bodies").resolve(upns.get(i) + ".json").toFile());
        byte[] userId = Base64.getUrlDecoder().decode(graphs.get(i).get("publicKey").get("user").get("id").asText());
        assertThat(new EntraRp(upns.get(i), userId, root).register(graphs.get(i), body).isAttestationTrusted()).isTrue();
      }
    }

    @Test
    void yubicoLabsUsersToRegisterCsv_withoutOptionsDir_givesRegistrationsEntraAccepts() throws Exception {
      // The columns YubicoLabs' step1GetFIDO2Challenges.py writes, one user per line.
      StringBuilder csv = new StringBuilder("#User.Name,User.DisplayName,User.ID,Challenge,ChallengeExpiryTime,RP.ID\r\n");
      List<ObjectNode> graphs = new ArrayList<>();
      for (int i = 1; i <= 2; i++) {
        ObjectNode g = fixtureFor("user" + i + "@contoso.com", i);
        ((ObjectNode) g.get("publicKey")).remove("excludeCredentials");
        graphs.add(g);
        JsonNode pk = g.get("publicKey");
        csv.append(String.join(",", pk.get("user").get("name").asText(), "\"" + pk.get("user").get("displayName").asText() + "\"",
            pk.get("user").get("id").asText(), pk.get("challenge").asText(), VALID_UNTIL, "login.microsoft.com")).append("\r\n");
      }
      Path users = write("usersToRegister.csv", csv.toString());
      Path keys = dir.resolve("keys");
      String root = rootPem("generic");
      Result r = CliRunner.run(new DeviceFactory(), "", "--ca", ca().toString(), "provision", "--bulk", users.toString(), "--keys-dir", keys.toString(),
          "--report", dir.resolve("keysRegistered.csv").toString());
      assertThat(r.code()).as(r.err()).isZero();
      for (int i = 0; i < 2; i++) {
        String upn = "user" + (i + 1) + "@contoso.com";
        JsonNode body = Json.MAPPER.readTree(keys.resolve("post-bodies").resolve(upn + ".json").toFile());
        byte[] userId = Base64.getUrlDecoder().decode(graphs.get(i).get("publicKey").get("user").get("id").asText());
        RegistrationResult reg = new EntraRp(upn, userId, root).register(graphs.get(i), body);
        assertThat(reg.isAttestationTrusted()).isTrue();
        assertThat(reg.getCredProtectPolicy()).contains(Extensions.CredentialProtection.CredentialProtectionPolicy.UV_OPTIONAL);
      }
    }

    @Test
    void aMissingOptionsFile_isNamedWithItsCsvLine_beforeAnyKeyIsTouched() throws Exception {
      Path optionsDir = Files.createDirectories(dir.resolve("options"));
      Files.writeString(optionsDir.resolve("adele@contoso.com.json"), fixtureFor("adele@contoso.com", 1).toString());
      Path users = write("users.csv", "upn,key\nadele@contoso.com,a\nbob@contoso.com,b\n");
      Path keys = dir.resolve("keys");
      Result r = CliRunner.run(new DeviceFactory(), "", "--ca", ca().toString(), "provision", "--bulk", users.toString(), "--options-dir", optionsDir.toString(),
          "--keys-dir", keys.toString(), "--report", dir.resolve("r.json").toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).isEqualTo("softkey: " + users + " line 3: no options file " + optionsDir.resolve("bob@contoso.com.json")
          + " for bob@contoso.com; save the user's Graph creationOptions response there" + NL);
      assertThat(keys).doesNotExist();
    }
  }

  static List<String> fieldNames(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** The extensions map of the authenticator data in the POST body's attestation object. */
  static CborMap authDataExtensions(JsonNode postBody) {
    byte[] att = Base64.getUrlDecoder().decode(postBody.get("publicKeyCredential").get("response").get("attestationObject").asText());
    Bytes authData = CborDecoder.decodeMap(att).bytes("authData");
    return dev.softkey.ctap.model.AuthenticatorData.parse(authData).extensions().orElseThrow();
  }
}
