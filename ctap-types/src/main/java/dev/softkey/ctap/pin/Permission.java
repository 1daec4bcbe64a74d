package dev.softkey.ctap.pin;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;

/** pinUvAuthToken permissions (CTAP 2.1 section 6.5.5.7). */
public enum Permission {
  MAKE_CREDENTIAL(0x01, "mc"),
  GET_ASSERTION(0x02, "ga"),
  CREDENTIAL_MANAGEMENT(0x04, "cm"),
  BIO_ENROLLMENT(0x08, "be"),
  LARGE_BLOB_WRITE(0x10, "lbw"),
  AUTHENTICATOR_CONFIG(0x20, "acfg");

  private final int bit;
  private final String shortName;

  Permission(int bit, String shortName) {
    this.bit = bit;
    this.shortName = shortName;
  }

  public int bit() {
    return bit;
  }

  public String shortName() {
    return shortName;
  }

  /** The bit set of {@code permissions}, as the permissions member (0x09) carries it. */
  public static long bits(Collection<Permission> permissions) {
    long b = 0;
    for (Permission p : permissions) {
      b |= p.bit();
    }
    return b;
  }

  /** The defined permissions in a bit set; undefined bits are ignored (section 6.5.5.7). */
  public static Set<Permission> fromBits(long bits) {
    Set<Permission> out = EnumSet.noneOf(Permission.class);
    for (Permission p : values()) {
      if ((bits & p.bit) != 0) {
        out.add(p);
      }
    }
    return out;
  }
}
