package dev.softkey.hybrid.crypto;

/**
 * A hybrid-transport protocol failure: malformed QR code, invalid point, failed handshake or
 * message authentication, counter exhaustion. Messages describe the failure, never key material.
 */
public class HybridException extends RuntimeException {
  public HybridException(String message) {
    super(message);
  }

  public HybridException(String message, Throwable cause) {
    super(message, cause);
  }
}
