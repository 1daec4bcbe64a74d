package dev.softkey.platform.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The report line: CSV (RFC 4180) and JSON hold the PIN, toString never does. */
class ProvisioningReportTest {
  static final String PIN = "482915";

  static ProvisioningReport report(String model) {
    return new ProvisioningReport(
        "AdeleV@contoso.com", "dXNlcg", "YubiKey 5", "keys/key-1", Optional.empty(), UUID.fromString("2fc0579f-8113-47ea-b116-bb5a8db9202a"),
        model, PIN, "Y3JlZA", "packed", OptionalInt.of(6), true, "setMinPINLength(newMinPINLength=6); setMinPINLength(forceChangePin=true)",
        false, Optional.of("2026-12-02T05:00:00Z"));
  }

  @Test
  void csv_hasOneFieldPerColumn_andQuotesCommasAndQuotes() {
    String line = report("Key \"A\", rev 2").csvRecord();
    assertThat(line)
        .isEqualTo("AdeleV@contoso.com,dXNlcg,YubiKey 5,keys/key-1,,2fc0579f-8113-47ea-b116-bb5a8db9202a,\"Key \"\"A\"\", rev 2\"," + PIN
            + ",Y3JlZA,packed,6,true,setMinPINLength(newMinPINLength=6); setMinPINLength(forceChangePin=true),false,2026-12-02T05:00:00Z");
    assertThat(ProvisioningReport.csvHeader().split(",")).hasSize(ProvisioningReport.CSV_COLUMNS.size());
  }

  @Test
  void json_namesTheMembersAsTheCsvColumns() {
    var json = report("m").toJsonNode();
    java.util.List<String> names = new java.util.ArrayList<>();
    json.fieldNames().forEachRemaining(names::add);
    assertThat(names).isEqualTo(ProvisioningReport.CSV_COLUMNS);
    assertThat(json.get("pin").asText()).isEqualTo(PIN);
    assertThat(json.get("serial").isNull()).isTrue();
  }

  @Test
  void toString_leavesThePinOut() {
    assertThat(report("m").toString()).doesNotContain(PIN).contains("pin=(secret)");
  }
}
