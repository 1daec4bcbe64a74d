package dev.softkey.core.profile;

import java.util.Optional;

/**
 * The transports a model reports in getInfo member {@code transports} (0x09), spelled as WebAuthn
 * L3 section 5.8.4 (AuthenticatorTransport) spells them. The same names identify the transport a
 * request came over ({@code OperationContext.transport()}), which quirks such as the reset window
 * depend on.
 */
public enum Transport implements JsonName {
  USB("usb"),
  NFC("nfc"),
  BLE("ble"),
  SMART_CARD("smart-card"),
  HYBRID("hybrid"),
  /** Platform-attached; softkey also uses it for in-process calls (CLI, Java API). */
  INTERNAL("internal");

  private final String wire;

  Transport(String wire) {
    this.wire = wire;
  }

  /** The string getInfo and WebAuthn carry. */
  public String wire() {
    return wire;
  }

  @Override
  public String jsonName() {
    return wire;
  }

  public static Optional<Transport> fromWire(String s) {
    return JsonName.find(values(), s);
  }
}
