package dev.softkey.rp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy file: Entra's member names, defaults for what is left out, one clear message for what is wrong. */
class RpPolicyTest {
  static final String AAGUID = "2fc0579f-8113-47ea-b116-bb5a8db9202a";

  @Test
  void fullPolicy_parses_andRoundTrips() {
    RpPolicy p = RpPolicy.parse("""
        {"keyRestrictions": {"isEnforced": true, "enforcementType": "allow", "aaGuids": ["2FC0579F-8113-47EA-B116-BB5A8DB9202A"]},
         "isAttestationEnforced": true, "userVerification": "required", "allowedAlgorithms": [-7, -257]}""");
    assertThat(p.keyRestrictions().isEnforced()).isTrue();
    assertThat(p.keyRestrictions().enforcementType()).isEqualTo(RpPolicy.EnforcementType.ALLOW);
    assertThat(p.keyRestrictions().aaGuids()).containsExactly(AAGUID);
    assertThat(p.isAttestationEnforced()).isTrue();
    assertThat(p.userVerification()).isEqualTo(RpPolicy.UserVerification.REQUIRED);
    assertThat(p.allowedAlgorithms()).containsExactly(-7, -257);
    assertThat(RpPolicy.parse(p.toJson().toString())).isEqualTo(p);
  }

  @Test
  void emptyObject_isTheDefault_andGraphsExtraMembersAreIgnored() {
    assertThat(RpPolicy.parse("{}")).isEqualTo(RpPolicy.DEFAULT);
    RpPolicy graph = RpPolicy.parse("""
        {"@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration", "id": "Fido2", "state": "enabled",
         "isSelfServiceRegistrationAllowed": true, "isAttestationEnforced": true,
         "keyRestrictions": {"isEnforced": false, "enforcementType": "block", "aaGuids": []}, "includeTargets": []}""");
    assertThat(graph.isAttestationEnforced()).isTrue();
    assertThat(graph.keyRestrictions().isEnforced()).isFalse();
  }

  @Test
  void admits_followsTheEnforcementType() {
    var allow = new RpPolicy.KeyRestrictions(true, RpPolicy.EnforcementType.ALLOW, List.of(AAGUID));
    var block = new RpPolicy.KeyRestrictions(true, RpPolicy.EnforcementType.BLOCK, List.of(AAGUID));
    var off = new RpPolicy.KeyRestrictions(false, RpPolicy.EnforcementType.ALLOW, List.of(AAGUID));
    String other = "00000000-0000-0000-0000-000000000001";
    assertThat(allow.admits(AAGUID.toUpperCase())).isTrue();
    assertThat(allow.admits(other)).isFalse();
    assertThat(block.admits(AAGUID)).isFalse();
    assertThat(block.admits(other)).isTrue();
    assertThat(off.admits(other)).isTrue();
  }

  @Test
  void malformed_namesTheMemberAndTheFault() {
    assertBad("{", "not JSON");
    assertBad("[]", "a policy is a JSON object");
    assertBad("{\"isAttestationEnforced\": \"yes\"}", "isAttestationEnforced must be true or false");
    assertBad("{\"userVerification\": \"discouraged\"}", "userVerification must be one of required, preferred");
    assertBad("{\"keyRestrictions\": {\"enforcementType\": \"deny\"}}", "keyRestrictions.enforcementType must be one of allow, block");
    assertBad("{\"keyRestrictions\": {\"aaGuids\": [\"not-a-uuid\"]}}", "'not-a-uuid' is not an AAGUID");
    assertBad("{\"keyRestrictions\": {\"aaGuids\": \"x\"}}", "keyRestrictions.aaGuids must be an array");
    assertBad("{\"keyRestriction\": {}}", "unknown member 'keyRestriction'");
    assertBad("{\"keyRestrictions\": {\"isEnforcd\": true}}", "unknown member 'keyRestrictions.isEnforcd'");
    assertBad("{\"allowedAlgorithms\": []}", "at least one algorithm");
    assertBad("{\"allowedAlgorithms\": [-9]}", "-9 is not one of");
    assertBad("{\"allowedAlgorithms\": [\"ES256\"]}", "is not a COSE algorithm number");
  }

  @Test
  void load_namesTheFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("policy.json");
    Files.writeString(f, "{\"userVerification\": \"required\"}");
    assertThat(RpPolicy.load(f).userVerification()).isEqualTo(RpPolicy.UserVerification.REQUIRED);
    Files.writeString(f, "{\"userVerification\": 1}");
    assertThatThrownBy(() -> RpPolicy.load(f)).isInstanceOf(RpPolicy.InvalidPolicyException.class)
        .hasMessageStartingWith("policy file " + f + ": userVerification must be");
    assertThatThrownBy(() -> RpPolicy.load(dir.resolve("missing.json"))).hasMessageContaining("does not exist");
  }

  private static void assertBad(String json, String message) {
    assertThatThrownBy(() -> RpPolicy.parse(json)).isInstanceOf(RpPolicy.InvalidPolicyException.class).hasMessageContaining(message);
  }
}
