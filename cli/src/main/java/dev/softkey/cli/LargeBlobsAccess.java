package dev.softkey.cli;

import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.platform.AuthenticatorInfo;
import dev.softkey.platform.credman.CredentialManager;
import dev.softkey.platform.largeblob.LargeBlobs;
import dev.softkey.platform.pin.PinToken;
import dev.softkey.platform.pin.PlatformPin;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * What the {@code large-blobs} commands share: one pinUvAuthToken with the cm and lbw permissions
 * (as fido2-token gets for -S -b), the credential manager that finds the largeBlobKeys, and the
 * array client that writes with the token.
 */
final class LargeBlobsAccess {
  private LargeBlobsAccess() {}

  /**
   * An opened key's large blobs.
   *
   * @param info the key's getInfo
   * @param blobs the array, written with the token
   * @param credentials the discoverable credentials, with their largeBlobKeys
   */
  record Session(AuthenticatorInfo info, LargeBlobs blobs, CredentialManager credentials) {
    /** Every discoverable credential of every RP (with and without a largeBlobKey). */
    List<CredentialManager.Credential> all() {
      return credentials.allCredentials();
    }
  }

  /** Which credential's blob: {@code --credential ID} or {@code --rp ID}, exactly one. */
  static final class Selection {
    @Option(names = "--credential", paramLabel = "ID",
        description = "The discoverable credential, by its ID (base64url, as 'softkey credentials list' prints it). Required unless --rp is given.")
    String credential;

    @Option(names = "--rp", paramLabel = "ID",
        description = "The discoverable credential of RP ID ID that has a largeBlobKey; when the RP has several, give --credential. Required unless --credential is given.")
    String rp;

    /** The selected credential, which has a largeBlobKey; usage errors name what to give instead. */
    CredentialManager.Credential credential(Session s, String command) {
      if ((credential == null) == (rp == null)) {
        throw new UsageException(command + " needs exactly one of --credential ID and --rp ID");
      }
      if (credential != null) {
        Bytes id = CredentialsAccess.credentialId(credential);
        CredentialManager.Credential c =
            s.all().stream()
                .filter(x -> x.credentialId().equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                    "no discoverable credential has ID " + credential + ": 'softkey credentials list' prints the IDs"));
        if (c.largeBlobKey().isEmpty()) {
          throw new IllegalStateException("credential " + credential + " has no largeBlobKey: it was made without the largeBlobKey extension");
        }
        return c;
      }
      List<CredentialManager.Credential> withKey =
          s.credentials().credentials(rp).stream().filter(c -> c.largeBlobKey().isPresent()).toList();
      if (withKey.isEmpty()) {
        throw new IllegalStateException("RP " + rp + " has no discoverable credential with a largeBlobKey");
      }
      if (withKey.size() > 1) {
        throw new UsageException(
            "RP " + rp + " has " + withKey.size() + " credentials with a largeBlobKey: choose one with --credential ID ('softkey large-blobs list' prints them)");
      }
      return withKey.get(0);
    }
  }

  /** The session, with a cm+lbw token from the PIN (or built-in UV when no PIN is given and the key has it). */
  static Session open(DeviceFactory.Device d, PinOptions pinOptions, String command) {
    AuthenticatorInfo info = CredentialManager.getInfo(d.transport());
    if (!info.option("largeBlobs").orElse(false)) {
      throw new IllegalStateException(
          "this key has no large-blob storage (getInfo option largeBlobs): choose a profile with it with --profile, e.g. generic or bio");
    }
    CtapCommand cm =
        CredentialManager.commandFor(info)
            .orElseThrow(() -> new IllegalStateException("this key has no credential management, which finds the largeBlobKeys"));
    CredentialsAccess.PinAccess access =
        CredentialsAccess.pinAccess(d, info, pinOptions, command, "finding the largeBlobKeys (credential management)");
    PlatformPin platformPin = access.platformPin();
    Optional<String> pin = access.pin();
    Set<Permission> permissions = Set.of(Permission.CREDENTIAL_MANAGEMENT, Permission.LARGE_BLOB_WRITE);
    // A PIN refusal propagates: the CLI's error line (Main, PinRefusals) says the retries left and what to do.
    PinToken token =
        pin.isPresent()
            ? platformPin.getPinUvAuthToken(pin.get(), permissions, Optional.empty())
            : platformPin.getUvToken(permissions, Optional.empty());
    return new Session(info, new LargeBlobs(d.transport(), info, Optional.of(token)), new CredentialManager(d.transport(), cm, token));
  }
}
