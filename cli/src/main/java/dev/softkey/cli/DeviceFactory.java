package dev.softkey.cli;

import dev.softkey.core.presence.Presence;
import dev.softkey.core.presence.UserPresence;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.webauthn.CtapTransport;
import dev.softkey.core.webauthn.PinTokenProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The one place where the CLI assembles objects from other modules: the authenticator with its
 * profile, store, randomness and presence policy, the PIN client, the attestation CA. Commands get
 * everything through this class, so wiring changes touch nothing else.
 *
 * <p>Methods marked {@code HOLE} are not wired yet: each throws {@link NotWiredException} naming
 * what it must build. Tests subclass this class to put fakes behind the commands.
 */
public class DeviceFactory {

  /**
   * The global options, as parsed.
   *
   * @param storeDir the persistent store directory, empty for an in-memory store
   * @param profileId the profile id or path ({@link Profiles#load})
   * @param seed the seed for deterministic randomness, empty for secure randomness
   * @param presence "approve" or "deny"
   * @param passphraseEnv the name of the environment variable holding the store passphrase
   */
  public record DeviceOptions(
      Optional<Path> storeDir, String profileId, OptionalLong seed, String presence, Optional<String> passphraseEnv) {

    /** The user presence policy for {@link #presence}. */
    public UserPresence userPresence() {
      return switch (presence.toLowerCase(Locale.ROOT)) {
        case "approve" -> Presence.approve();
        case "deny" -> Presence.deny();
        default -> throw new IllegalArgumentException("--presence must be approve or deny");
      };
    }

    /**
     * The store passphrase from the environment variable named by {@link #passphraseEnv}; the
     * value is a secret and is never printed.
     */
    public Optional<char[]> passphrase() {
      if (passphraseEnv.isEmpty()) {
        return Optional.empty();
      }
      String v = System.getenv(passphraseEnv.get());
      if (v == null) {
        throw new IllegalArgumentException("environment variable " + passphraseEnv.get() + " is not set");
      }
      return Optional.of(v.toCharArray());
    }

    /** The same options with an in-memory store (for {@code demo}). */
    public DeviceOptions inMemory() {
      return new DeviceOptions(Optional.empty(), profileId, seed, presence, passphraseEnv);
    }
  }

  /**
   * An opened authenticator for one command.
   *
   * @param transport CTAP requests in, responses out (Authenticator.process with
   *     OperationContext.INTERNAL)
   * @param pinTokenProvider the PIN client for WebAuthn ceremonies
   * @param resources closed when the command ends (stores, files)
   */
  public record Device(CtapTransport transport, Optional<PinTokenProvider> pinTokenProvider, AutoCloseable resources)
      implements AutoCloseable {
    @Override
    public void close() throws Exception {
      resources.close();
    }
  }

  /** A part of the wiring that does not exist yet. */
  public static final class NotWiredException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotWiredException(String what) {
      super("not wired yet: " + what);
    }
  }

  /**
   * HOLE: builds the authenticator and returns it as a {@link Device}. To do: load the profile
   * ({@code Profiles.load(o.profileId())}); open the store ({@code MemoryStore} when {@code
   * o.storeDir()} is empty, else the encrypted file store in that directory with {@code
   * o.passphrase()}); randomness {@code RandomSource.seeded(seed)} or {@code secure()}; presence
   * {@code o.userPresence()}; the attestation provider from the CA; assemble with {@code
   * AuthenticatorBuilder}; transport = {@code req -> authenticator.process(req,
   * OperationContext.INTERNAL)}; pinTokenProvider = a PlatformPin over the same transport.
   */
  public Device open(DeviceOptions o) {
    throw new NotWiredException("DeviceFactory.open (Authenticator, store, profile, presence)");
  }

  /** HOLE: authenticatorClientPIN setPIN through the PIN client (CTAP 2.1 section 6.5.5.5). */
  public void setPin(Device device, String newPin) {
    throw new NotWiredException("DeviceFactory.setPin (PlatformPin)");
  }

  /** HOLE: authenticatorClientPIN changePIN through the PIN client (CTAP 2.1 section 6.5.5.6). */
  public void changePin(Device device, String currentPin, String newPin) {
    throw new NotWiredException("DeviceFactory.changePin (PlatformPin)");
  }

  /** HOLE: the attestation root CA certificate of this store/profile, PEM encoded. */
  public String exportCaCertificatePem(DeviceOptions o) {
    throw new NotWiredException("DeviceFactory.exportCaCertificatePem (attestation CA)");
  }

  /** The built-in profiles, for {@code softkey profiles}. */
  public List<Profile> profiles() {
    return Profiles.allBuiltIn();
  }

  /**
   * The default persistent store: {@code $XDG_DATA_HOME/softkey} (else {@code
   * ~/.local/share/softkey}) on Linux, {@code ~/Library/Application Support/softkey} on macOS,
   * {@code %APPDATA%\softkey} on Windows.
   */
  public static Path defaultStoreDir() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    Path home = Path.of(System.getProperty("user.home", "."));
    if (os.contains("win")) {
      String appData = System.getenv("APPDATA");
      return (appData != null ? Path.of(appData) : home.resolve("AppData").resolve("Roaming")).resolve("softkey");
    }
    if (os.contains("mac")) {
      return home.resolve("Library").resolve("Application Support").resolve("softkey");
    }
    String xdg = System.getenv("XDG_DATA_HOME");
    return (xdg != null && !xdg.isEmpty() ? Path.of(xdg) : home.resolve(".local").resolve("share")).resolve("softkey");
  }
}
