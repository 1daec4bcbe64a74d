package dev.softkey.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.core.OperationContext;
import dev.softkey.core.profile.CtapVersion;
import dev.softkey.core.profile.Profile;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.platform.CtapTransport;
import dev.softkey.platform.NoReplyException;
import dev.softkey.platform.PinTokenProvider;
import dev.softkey.platform.WebAuthnClient;
import dev.softkey.platform.WebAuthnException;
import dev.softkey.platform.pin.PlatformPin;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST .../webauthn/create} and {@code .../webauthn/get}: the ceremony a browser would run,
 * by {@link WebAuthnClient} over the hosted device chain (tap, fault plan, engine), so faults and
 * events apply as on any transport. The options' {@code timeout} (milliseconds; default {@link
 * #DEFAULT_TIMEOUT}) is the ceremony's: when it passes, the request in flight is cancelled (the
 * device answers CTAP2_ERR_KEEPALIVE_CANCEL) and the ceremony fails with NotAllowedError, as a
 * browser's does. Failures are the DOMException names of WebAuthn.
 */
final class Ceremonies {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
  static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

  private Ceremonies() {}

  static JsonNode create(Hosted h, ObjectNode body) {
    Input in = input(body);
    WebAuthnClient client = client(h, in);
    return run(() -> client.create(in.options(), in.origin(), in.pin()).toJsonNode());
  }

  static JsonNode get(Hosted h, ObjectNode body) {
    Input in = input(body);
    WebAuthnClient client = client(h, in);
    return run(() -> client.get(in.options(), in.origin(), in.pin()).toJsonNode());
  }

  private record Input(String options, String origin, Optional<String> pin, Duration timeout) {}

  private static Input input(ObjectNode body) {
    JsonNode options = body.get("options");
    if (options == null || options.isNull()) {
      throw ApiException.invalidArgument("options is required (PublicKeyCredential*OptionsJSON)");
    }
    JsonNode tree = options;
    String text;
    try {
      if (options.isTextual()) {
        text = options.textValue();
        tree = Json.MAPPER.readTree(text);
      } else {
        text = Json.MAPPER.writeValueAsString(options);
      }
    } catch (JsonProcessingException e) {
      throw ApiException.invalidArgument("options is not JSON");
    }
    if (tree == null || !tree.isObject()) {
      throw ApiException.invalidArgument("options must be a JSON object");
    }
    JsonNode pk = tree.has("publicKey") ? tree.get("publicKey") : tree;
    Duration timeout = DEFAULT_TIMEOUT;
    JsonNode t = pk.get("timeout");
    if (t != null && !t.isNull()) {
      if (!t.isNumber() || t.asLong() <= 0) {
        throw ApiException.invalidArgument("options.timeout must be a positive number of milliseconds");
      }
      timeout = Duration.ofMillis(Math.min(t.asLong(), MAX_TIMEOUT.toMillis()));
    }
    return new Input(text, Json.text(body, "origin"), Json.optText(body, "pin"), timeout);
  }

  private static WebAuthnClient client(Hosted h, Input in) {
    long deadline = System.nanoTime() + in.timeout().toNanos();
    OperationContext ctx = new OperationContext() {
      @Override
      public void keepalive(KeepaliveStatus status) {}

      @Override
      public boolean isCancelled() {
        return System.nanoTime() - deadline > 0;
      }

      @Override
      public String transport() {
        return h.transport();
      }
    };
    CtapTransport transport = req -> {
      byte[] resp = h.device().process(req, ctx);
      if (CtapTap.isDropped(resp)) {
        // No reply: a client waits for its timeout, then gives up as a browser does.
        long left = deadline - System.nanoTime();
        if (left > 0) {
          try {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        throw new NoReplyException("no reply within the ceremony's timeout of " + in.timeout().toMillis() + " ms");
      }
      return resp;
    };
    Profile p = h.device().profile();
    int protocol = p.getInfo().pinUvAuthProtocols().isEmpty() ? 1 : p.getInfo().pinUvAuthProtocols().get(0);
    boolean tokenPermissions = p.getInfo().supports(CtapVersion.FIDO_2_1);
    PlatformPin pin = new PlatformPin(transport::transact, protocol, tokenPermissions, RandomSource.secure());
    return WebAuthnClient.builder(transport)
        .pinTokenProvider(PinTokenProvider.of(pin))
        .transports(List.of(h.transport()))
        .timeout(in.timeout())
        .build();
  }

  private static JsonNode run(java.util.function.Supplier<JsonNode> ceremony) {
    try {
      return ceremony.get();
    } catch (WebAuthnException e) {
      return fail(e.name().name(), e.getMessage() + e.detail().map(d -> " (" + d + ")").orElse(""));
    } catch (RuntimeException e) {
      return fail(WebAuthnException.Name.UnknownError.name(), "the ceremony failed: " + e.getClass().getSimpleName());
    }
  }

  private static JsonNode fail(String name, String message) {
    throw ApiException.domException(name, message);
  }
}
