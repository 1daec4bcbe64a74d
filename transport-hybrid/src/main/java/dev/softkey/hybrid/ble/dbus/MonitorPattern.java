package dev.softkey.hybrid.ble.dbus;

import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;

/**
 * One {@code (yyay)} entry of an advertisement monitor's {@code Patterns}: the AD structure of
 * type {@code adType} whose data, from {@code startPosition} on, begins with {@code content}.
 * dbus-java reads the public fields; equality is dbus-java's (field by field, arrays by content).
 */
public final class MonitorPattern extends Struct {
  @Position(0)
  public final byte startPosition;

  @Position(1)
  public final byte adType;

  @Position(2)
  public final byte[] content;

  public MonitorPattern(byte startPosition, byte adType, byte[] content) {
    this.startPosition = startPosition;
    this.adType = adType;
    this.content = content.clone();
  }
}
