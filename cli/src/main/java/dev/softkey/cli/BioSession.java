package dev.softkey.cli;

import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.command.CtapReply;
import dev.softkey.ctap.command.EnrollSampleStatus;
import dev.softkey.ctap.command.ParameterlessRequest;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.platform.AuthenticatorInfo;
import dev.softkey.platform.bio.PlatformBio;
import dev.softkey.platform.pin.PinToken;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** What the {@code bio} commands share: the bio client of an opened device, its token, and the words for errors. */
final class BioSession {
  private BioSession() {}

  /** The bio client without a token (getFingerprintSensorInfo); a key without the command is told so. */
  static PlatformBio open(DeviceFactory.Device d) {
    AuthenticatorInfo info = AuthenticatorInfo.parse(CtapReply.body(d.transport().transact(ParameterlessRequest.GET_INFO.encode())));
    CtapCommand command =
        PlatformBio.commandFor(info.options())
            .orElseThrow(() -> new IllegalStateException(
                "this key has no fingerprint sensor (no bioEnroll in getInfo): use a profile with one, e.g. --profile bio"));
    return new PlatformBio(d.transport()::transact, command, Optional.empty());
  }

  /**
   * The bio client with a be token: from the PIN when one is given, otherwise from built-in UV when
   * a finger is enrolled; a key with a PIN and no --pin, or with neither, says what to do.
   */
  static PlatformBio withToken(DeviceFactory.Device d, PinOptions pinOptions, String command) {
    PlatformBio bio = open(d);
    AuthenticatorInfo info = AuthenticatorInfo.parse(CtapReply.body(d.transport().transact(ParameterlessRequest.GET_INFO.encode())));
    Optional<String> pin = pinOptions.pin();
    PinToken token;
    if (pin.isPresent()) {
      if (!info.isPinSet()) {
        throw new IllegalStateException(
            "this key has no PIN: set one with 'softkey pin set' (bio enrollment needs it), or leave out --pin to use an enrolled finger");
      }
      token = d.pin().orElseThrow().getPinUvAuthToken(pin.get(), Set.of(Permission.BIO_ENROLLMENT), Optional.empty());
    } else if (info.option("uv").orElse(false)) {
      try {
        token = d.pin().orElseThrow().getUvToken(Set.of(Permission.BIO_ENROLLMENT), Optional.empty());
      } catch (CtapException e) {
        throw new IllegalStateException(
            "built-in UV failed (" + e.status().name() + "): give the PIN with --pin-env VAR, --pin-file FILE or --pin PIN"
                + (e.status() == CtapStatus.CTAP2_ERR_UV_INVALID ? ", or use --presence approve" : ""),
            e);
      }
    } else if (info.isPinSet()) {
      throw new UsageException(command + " needs the current PIN: give --pin-env VAR, --pin-file FILE or --pin PIN");
    } else {
      throw new IllegalStateException(
          command + " needs a PIN on the key (bio enrollment is PIN-protected): set one with 'softkey pin set --new-pin-env VAR' first");
    }
    return bio.withToken(token);
  }

  /** A template ID as the user types it (hex, as {@code bio list} prints it). */
  static Bytes templateId(String hex) {
    try {
      Bytes b = Bytes.fromHex(hex);
      if (b.length() == 0) {
        throw new IllegalArgumentException("empty");
      }
      return b;
    } catch (RuntimeException e) {
      throw new UsageException("a fingerprint ID is hex, as 'softkey bio list' prints it (e.g. 01), not '" + hex + "'");
    }
  }

  /** The CLI name of a sample status: FP_TOO_HIGH is too-high. */
  static String cliName(EnrollSampleStatus s) {
    return s.name().replaceFirst("^FP_", "").toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** A sample status from its CLI name. */
  static EnrollSampleStatus sampleStatus(String name) {
    for (EnrollSampleStatus s : EnrollSampleStatus.values()) {
      if (cliName(s).equals(name.trim().toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    StringBuilder names = new StringBuilder();
    for (EnrollSampleStatus s : EnrollSampleStatus.values()) {
      names.append(names.length() == 0 ? "" : ", ").append(cliName(s));
    }
    throw new UsageException("unknown sample status '" + name + "': use one of " + names);
  }

  /** The message of a failed bio subcommand, with what to do next where there is something to do. */
  static RuntimeException explain(CtapException e, String id) {
    String status = e.status().name() + ": ";
    return switch (e.status()) {
      case CTAP2_ERR_FP_DATABASE_FULL -> new IllegalStateException(
          status + "the sensor holds no more fingerprints: remove one with 'softkey bio remove ID' (see 'softkey bio list')", e);
      case CTAP2_ERR_INVALID_OPTION -> new IllegalStateException(
          status + "no fingerprint with ID " + id + " on this key: see 'softkey bio list'", e);
      case CTAP2_ERR_USER_ACTION_TIMEOUT -> new IllegalStateException(
          status + "no finger on the sensor in time: try again (with --presence prompt, answer the prompt)", e);
      default -> e;
    };
  }
}
