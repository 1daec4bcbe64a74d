package dev.softkey.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.platform.WebAuthnException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code softkey webauthn get}: navigator.credentials.get() against this key. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = {
      "navigator.credentials.get(): sign in with a credential of this key.",
      "Reads PublicKeyCredentialRequestOptionsJSON, prints AuthenticationResponseJSON to stdout.",
      "Extensions in the options (prf, hmacGetSecret, largeBlob, getCredBlob) are run as a browser runs them;"
          + " their outputs are in clientExtensionResults."
    })
final class WebAuthnGetCommand extends CeremonyCommand {
  @Option(names = "--prf-eval", paramLabel = "BASE64URL",
      description = "Evaluate the credential's PRF (WebAuthn prf extension, over hmac-secret) at this input, as extensions.prf.eval.first "
          + "in the options would; the 32-byte result is clientExtensionResults.prf.results.first. Default: none (the options' own prf input, if any).")
  String prfEval;

  @Option(names = "--prf-eval-second", paramLabel = "BASE64URL",
      description = "A second PRF input (extensions.prf.eval.second); needs --prf-eval. Its result is prf.results.second. Default: none.")
  String prfEvalSecond;

  WebAuthnGetCommand(SoftkeyCommand root) {
    super(root);
  }

  @Override
  String optionsType() {
    return "PublicKeyCredentialRequestOptionsJSON";
  }

  @Override
  public Integer call() throws Exception {
    String json = withPrfEval(readOptions());
    var p = pin.pin();
    try (DeviceFactory.Device d = openDevice()) {
      Json.print(root.out(), client(d).get(json, origin, p).toJsonNode());
    } catch (WebAuthnException e) {
      throw optionsError(e);
    }
    return 0;
  }

  /** The options with --prf-eval as extensions.prf.eval (replacing one the options had). */
  private String withPrfEval(String json) throws Exception {
    if (prfEval == null) {
      if (prfEvalSecond != null) {
        throw new UsageException("--prf-eval-second needs --prf-eval");
      }
      return json;
    }
    if (!(Json.MAPPER.readTree(json) instanceof ObjectNode root)) {
      return json; // the client reports what is wrong with it
    }
    ObjectNode o = root.has("publicKey") && !root.has("challenge") && root.get("publicKey").isObject() ? (ObjectNode) root.get("publicKey") : root;
    ObjectNode ext = o.has("extensions") && o.get("extensions").isObject() ? (ObjectNode) o.get("extensions") : o.putObject("extensions");
    ObjectNode prf = ext.has("prf") && ext.get("prf").isObject() ? (ObjectNode) ext.get("prf") : ext.putObject("prf");
    ObjectNode eval = prf.putObject("eval");
    eval.put("first", prfEval);
    if (prfEvalSecond != null) {
      eval.put("second", prfEvalSecond);
    }
    return root.toString();
  }
}
