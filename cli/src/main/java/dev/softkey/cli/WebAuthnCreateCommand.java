package dev.softkey.cli;

import dev.softkey.platform.WebAuthnClient;
import dev.softkey.platform.WebAuthnException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code softkey webauthn create}: navigator.credentials.create() against this key. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = {
      "navigator.credentials.create(): register a credential.",
      "Reads PublicKeyCredentialCreationOptionsJSON, prints RegistrationResponseJSON to stdout.",
      "Extensions in the options (credProps, prf, hmacCreateSecret, largeBlob, credentialProtectionPolicy, credBlob, minPinLength)"
          + " are run as a browser runs them; their outputs are in clientExtensionResults."
    })
final class WebAuthnCreateCommand extends CeremonyCommand {
  @Option(names = "--enterprise-rp-id", paramLabel = "ID", split = ",",
      description = "An RP ID this client allows enterprise attestation for, as a browser's enterprise policy does (repeatable or comma-separated): "
          + "with attestation \"enterprise\" in the options and ep enabled on the key (softkey config enterprise-attestation), "
          + "enterpriseAttestation is sent. Default: none, so \"enterprise\" is treated as \"direct\".")
  List<String> enterpriseRpIds = new ArrayList<>();

  @Option(names = "--enterprise-mode", paramLabel = "MODE",
      description = "The enterpriseAttestation value sent for those RP IDs: platform (2, platform-managed: any RP ID) or vendor (1, vendor-facilitated: only RP IDs the model lists). Default: platform.")
  String enterpriseMode = "platform";

  @Option(names = "--keep-attestation",
      description = "Pass the key's attestation statement and AAGUID through whatever the options' attestation preference. "
          + "Default: as browsers do, attestation \"none\" (the default) and \"indirect\" get fmt \"none\", an empty attStmt "
          + "and a zero AAGUID; \"direct\" and \"enterprise\" get the statement as the key made it.")
  boolean keepAttestation;

  WebAuthnCreateCommand(SoftkeyCommand root) {
    super(root);
  }

  @Override
  void policy(WebAuthnClient.Builder b) {
    b.keepAttestationStatement(keepAttestation);
    long mode =
        switch (enterpriseMode.toLowerCase(java.util.Locale.ROOT)) {
          case "platform", "2" -> 2L;
          case "vendor", "1" -> 1L;
          default -> throw new UsageException("--enterprise-mode: give platform or vendor, not '" + enterpriseMode + "'");
        };
    if (!enterpriseRpIds.isEmpty()) {
      b.enterpriseAttestation(enterpriseRpIds, mode);
    }
  }

  @Override
  String optionsType() {
    return "PublicKeyCredentialCreationOptionsJSON";
  }

  @Override
  public Integer call() throws Exception {
    String json = readOptions();
    var p = pin.pin();
    try (DeviceFactory.Device d = openDevice()) {
      Json.print(root.out(), client(d).create(json, origin, p).toJsonNode());
    } catch (WebAuthnException e) {
      throw optionsError(e);
    }
    return 0;
  }
}
