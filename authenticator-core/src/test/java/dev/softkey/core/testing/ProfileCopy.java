package dev.softkey.core.testing;

import dev.softkey.core.profile.Profile;
import java.util.List;
import java.util.UUID;

/**
 * A {@link Profile} with some members replaced, for tests that need a variant of a built-in
 * profile: {@code ProfileCopy.of(base).minPinLength(6).build()}. Only the members tests vary so far
 * have setters; add more here rather than copying the record's constructor call into a test.
 */
public final class ProfileCopy {
  private final Profile base;
  private UUID aaguid;
  private List<String> versions;
  private List<Integer> pinUvAuthProtocols;
  private int minPinLength;
  private String attestation;

  private ProfileCopy(Profile base) {
    this.base = base;
    this.aaguid = base.aaguid();
    this.versions = base.versions();
    this.pinUvAuthProtocols = base.pinUvAuthProtocols();
    this.minPinLength = base.minPinLength();
    this.attestation = base.attestation();
  }

  public static ProfileCopy of(Profile base) {
    return new ProfileCopy(base);
  }

  public ProfileCopy aaguid(UUID value) {
    this.aaguid = value;
    return this;
  }

  public ProfileCopy versions(List<String> value) {
    this.versions = value;
    return this;
  }

  public ProfileCopy pinUvAuthProtocols(List<Integer> value) {
    this.pinUvAuthProtocols = value;
    return this;
  }

  public ProfileCopy minPinLength(int value) {
    this.minPinLength = value;
    return this;
  }

  /** The default attestation kind ("packed", "self", "none", "fido-u2f"). */
  public ProfileCopy attestation(String value) {
    this.attestation = value;
    return this;
  }

  public Profile build() {
    Profile p = base;
    return new Profile(
        p.id(),
        p.description(),
        p.source(),
        aaguid,
        versions,
        p.algorithms(),
        pinUvAuthProtocols,
        p.builtInUv(),
        p.residentKeys(),
        p.maxResidentCredentials(),
        p.maxMsgSize(),
        p.maxCredentialCountInList(),
        p.maxCredentialIdLength(),
        minPinLength,
        p.makeCredUvNotRequired(),
        p.firmwareVersion(),
        attestation,
        p.signCounter(),
        p.backupEligible(),
        p.backupState(),
        p.transports(),
        p.usb());
  }
}
