package dev.softkey.core.profile;

import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a model departs from the plain reading of the spec, or where the spec leaves a choice to
 * the authenticator. Each quirk is one field, names its source, and is read in exactly one place
 * (named in its Javadoc), so a model's behaviour can be traced from its profile to the code.
 * {@link #DEFAULT} is what softkey did before quirks existed; a profile file without a {@code
 * quirks} object gets it.
 *
 * @param resetWindow when authenticatorReset is allowed, per transport. CTAP 2.1 section 6.6: an
 *     authenticator without a display accepts reset only within 10 s of power-up (later:
 *     CTAP2_ERR_NOT_ALLOWED), and may refuse reset over some transports (CTAP2_ERR_OPERATION_DENIED)
 *     but must accept it over USB HID if it has USB. Real keys differ: YubiKeys before firmware
 *     5.5.2 allow 5 s, 5.5.4 and later 10 s (Yubico .NET SDK user manual, "FIDO2 Reset"); the
 *     SoloKeys Solo 1 firmware resets at any time after a touch (solokeys/solo1 fido2/ctap.c,
 *     ctap_request, CTAP_RESET has no time check; see devices.md). Read by {@code
 *     core.ctap2.reset.ResetHandler.handle}.
 * @param ctaphidChannelAllocation which CTAPHID channel IDs the device accepts. CTAP 2.1 section
 *     11.2.3: channels are allocated by CTAPHID_INIT on the broadcast channel, and a strict device
 *     answers ERR_INVALID_CHANNEL on any other; the Solo 1 firmware allocates any CID other than 0
 *     and 0xffffffff on first use (solokeys/solo1 fido2/ctaphid.c, ctaphid_buffer_packet, add_cid
 *     for an unknown CID), which test suites written for its simulator rely on. Read by {@code
 *     usb.ctaphid.CtapHidDevice.acceptChannel} (transport-usb).
 * @param getInfoOmits getInfo members the model does not report although softkey could compute
 *     them. CTAP 2.0-era models report only versions, extensions, aaguid, options, maxMsgSize and
 *     pinUvAuthProtocols: YubiKey 5 firmware 5.1, Google Titan v2 and Solo (their authenticatorGetInfo
 *     in the FIDO MDS3 BLOB no. 163, May 2025, as committed by s1r-J/fido-mds3 in
 *     data/payload.json); SafeNet eToken Fusion reports no maxMsgSize either (same source). CTAP 2.1 members
 *     are reported only with FIDO_2_1 in versions, and firmwareVersion only with {@code
 *     getInfo.firmwareVersion}. Read by {@code core.ctap2.getinfo.GetInfoHandler.handle}.
 * @param noCredentialsAfterTouch whether getAssertion, when no credential matches, waits for a
 *     touch before answering CTAP2_ERR_NO_CREDENTIALS (so a page cannot probe a key silently), as
 *     YubiKeys do and as Chromium's VirtualCtap2Device does by default (device/fido/
 *     virtual_ctap2_device.cc: the simulated press comes before NO_CREDENTIALS); false answers at
 *     once, as CTAP 2.1 section 6.2.2 orders the steps and as the keys do that Chromium models with
 *     {@code Config::return_immediate_invalid_credential_error}. Read by {@code
 *     core.ctap2.getassertion.GetAssertionHandler.handle}.
 *     <p>getInfoOmits also takes CTAP 2.1 members that some FIDO_2_1 models leave out (same source):
 *     Nitrokey 3 AM reports no minPINLength, forcePINChange or remainingDiscoverableCredentials,
 *     Thales IDPrime FIDO Bio no minPINLength or forcePINChange, YubiKeys 5.5 and later no
 *     forcePINChange; Feitian BioPass (built-in UV, FIDO_2_1_PRE) no preferredPlatformUvAttempts
 *     or uvModality. forcePINChange is left out only while it is false: the MDS shows factory
 *     state, and a model that left out a forced change would leave the platform to find it by a
 *     failing getPinUvAuthToken (softkey's assumption: such keys report it once true).
 * @param getInfoOmitsOptions getInfo options (member 0x04) the model leaves out where absence means
 *     the same as its value (CTAP 2.1 section 6.4: plat absent is false, up absent is true): Google
 *     Titan Security Key v2 reports only rk and clientPin (its authenticatorGetInfo in the FIDO MDS3
 *     BLOB no. 163, via s1r-J/fido-mds3). Only {@code plat} and {@code up}. Read by {@code
 *     core.ctap2.getinfo.GetInfoHandler.options}.
 * @param getInfoFalseOptions getInfo options the model reports as false for a feature it does not
 *     have, where section 6.4 gives false and absent the same meaning (not supported): Nitrokey 3 AM
 *     reports largeBlobs false, Thales IDPrime FIDO Bio and Feitian ePass CTAP2.1 report
 *     noMcGaPermissionsWithClientPin false (same source). Only options from {@link
 *     #FALSE_OPTIONS}, and only ones the model does not otherwise report. Read by {@code
 *     core.ctap2.getinfo.GetInfoHandler.options}.
 * @param getInfoAdds CTAP 2.1 getInfo members a FIDO_2_1_PRE model reports: the YubiKey 5 NFC and
 *     5 FIPS at firmware 5.4.2 report minPINLength although they list no FIDO_2_1 (same source).
 *     Only {@code minPINLength}. Read by {@code core.ctap2.getinfo.GetInfoHandler.handle}.
 * @param userVerificationMgmtPreviewAlwaysTrue the preview bio enrollment option
 *     userVerificationMgmtPreview is reported true whether or not a finger is enrolled, where
 *     section 6.4 has it say whether one is (bioEnroll, on the same key, does): Thales IDPrime FIDO
 *     Bio in factory state reports bioEnroll false, uv false and userVerificationMgmtPreview true
 *     (same source). Read by {@code core.ctap2.bio.BioEnrollmentHandler.infoOptions}.
 * @param credMgmtOnBothCommands whether a FIDO_2_1_PRE model that does not list FIDO_2_1 answers
 *     authenticatorCredentialManagement on both 0x0A and the preview command 0x41, reports option
 *     credMgmt (not credentialMgmtPreview), and takes the pinToken of getPinToken on both, as the
 *     Solo 1 firmware 4.x does (solokeys/solo1 fido2/ctap.c: ctap_request sends CTAP_CBOR_CRED_MGMT
 *     and CTAP_CBOR_CRED_MGMT_PRE to ctap_cred_mgmt, ctap_get_info reports "credMgmt", and
 *     ctap_cred_mgmt_pinauth checks the one PIN_TOKEN). false: a FIDO_2_1_PRE model has 0x41 only,
 *     with option credentialMgmtPreview (YubiKey 5 firmware 5.2 to 5.4). Read by {@code
 *     core.ctap2.credman.CredentialManagementHandler.bothCommands}.
 * @param keepUserIcon whether a discoverable credential keeps the user entity's "icon" (WebAuthn
 *     Level 1, removed in Level 2; CTAP 2.1 section 6.1.2 step 16 stores only id, name and
 *     displayName) and returns it with name and displayName in getAssertion and credential
 *     management, as the Solo 1 firmware does (solokeys/solo1 fido2/ctap_parse.c parse_user keeps
 *     up to ICON_LIMIT 128 bytes of "icon" in CTAP_userEntity, and fido2/ctap.c
 *     ctap_add_user_entity writes it back when non-empty). Read by {@code
 *     core.ctap2.makecredential.MakeCredentialHandler.storedIcon}.
 */
public record Quirks(
    ResetWindows resetWindow,
    ChannelAllocation ctaphidChannelAllocation,
    Set<GetInfoMember> getInfoOmits,
    boolean noCredentialsAfterTouch,
    Set<String> getInfoOmitsOptions,
    Set<String> getInfoFalseOptions,
    Set<GetInfoMember> getInfoAdds,
    boolean userVerificationMgmtPreviewAlwaysTrue,
    boolean credMgmtOnBothCommands,
    boolean keepUserIcon) {

  /** The options {@link #getInfoOmitsOptions} may name: their absence means their only value. */
  public static final Set<String> OMITTABLE_OPTIONS = Set.of("plat", "up");

  /**
   * The options {@link #getInfoFalseOptions} may name: section 6.4 says "present and set to false,
   * or absent" means the feature is not supported.
   */
  public static final Set<String> FALSE_OPTIONS =
      Set.of("noMcGaPermissionsWithClientPin", "largeBlobs", "uvAcfg", "uvBioEnroll");

  /** The members {@link #getInfoAdds} may name. */
  public static final Set<GetInfoMember> ADDABLE_MEMBERS = Set.of(GetInfoMember.MIN_PIN_LENGTH);

  /** The CTAP 2.1 reset window (10 s after power-up, every transport). */
  public static final Duration SPEC_RESET_WINDOW = Duration.ofSeconds(10);

  /** softkey's behaviour before quirks: 10 s reset window everywhere, strict channels, full getInfo, touch first. */
  public static final Quirks DEFAULT =
      new Quirks(
          ResetWindows.everywhere(ResetWindow.afterPowerUp(SPEC_RESET_WINDOW)),
          ChannelAllocation.STRICT,
          Set.of(),
          true,
          Set.of(),
          Set.of(),
          Set.of(),
          false,
          false,
          false);

  public Quirks {
    Objects.requireNonNull(resetWindow, "resetWindow");
    Objects.requireNonNull(ctaphidChannelAllocation, "ctaphidChannelAllocation");
    getInfoOmits = Set.copyOf(getInfoOmits);
    getInfoOmitsOptions = Set.copyOf(getInfoOmitsOptions);
    getInfoFalseOptions = Set.copyOf(getInfoFalseOptions);
    getInfoAdds = Set.copyOf(getInfoAdds);
  }

  /**
   * The quirks that existed before the getInfo option quirks and the Solo 1 ones, with all of
   * those at their defaults.
   */
  public Quirks(
      ResetWindows resetWindow,
      ChannelAllocation ctaphidChannelAllocation,
      Set<GetInfoMember> getInfoOmits,
      boolean noCredentialsAfterTouch) {
    this(resetWindow, ctaphidChannelAllocation, getInfoOmits, noCredentialsAfterTouch, Set.of(), Set.of(), Set.of(), false, false, false);
  }

  /** A copy with another reset window. */
  public Quirks withResetWindow(ResetWindows value) {
    return new Quirks(value, ctaphidChannelAllocation, getInfoOmits, noCredentialsAfterTouch, getInfoOmitsOptions, getInfoFalseOptions, getInfoAdds, userVerificationMgmtPreviewAlwaysTrue, credMgmtOnBothCommands, keepUserIcon);
  }

  /** A copy with another channel allocation. */
  public Quirks withCtaphidChannelAllocation(ChannelAllocation value) {
    return new Quirks(resetWindow, value, getInfoOmits, noCredentialsAfterTouch, getInfoOmitsOptions, getInfoFalseOptions, getInfoAdds, userVerificationMgmtPreviewAlwaysTrue, credMgmtOnBothCommands, keepUserIcon);
  }

  /** A copy with other omitted getInfo members. */
  public Quirks withGetInfoOmits(Set<GetInfoMember> value) {
    return new Quirks(resetWindow, ctaphidChannelAllocation, value, noCredentialsAfterTouch, getInfoOmitsOptions, getInfoFalseOptions, getInfoAdds, userVerificationMgmtPreviewAlwaysTrue, credMgmtOnBothCommands, keepUserIcon);
  }

  /** A copy with the other NO_CREDENTIALS behaviour. */
  public Quirks withNoCredentialsAfterTouch(boolean value) {
    return new Quirks(resetWindow, ctaphidChannelAllocation, getInfoOmits, value, getInfoOmitsOptions, getInfoFalseOptions, getInfoAdds, userVerificationMgmtPreviewAlwaysTrue, credMgmtOnBothCommands, keepUserIcon);
  }

  /** A copy with other omitted getInfo options. */
  public Quirks withGetInfoOmitsOptions(Set<String> value) {
    return new Quirks(resetWindow, ctaphidChannelAllocation, getInfoOmits, noCredentialsAfterTouch, value, getInfoFalseOptions, getInfoAdds, userVerificationMgmtPreviewAlwaysTrue, credMgmtOnBothCommands, keepUserIcon);
  }

  /** A copy with other getInfo options reported false. */
  public Quirks withGetInfoFalseOptions(Set<String> value) {
    return new Quirks(resetWindow, ctaphidChannelAllocation, getInfoOmits, noCredentialsAfterTouch, getInfoOmitsOptions, value, getInfoAdds, userVerificationMgmtPreviewAlwaysTrue, credMgmtOnBothCommands, keepUserIcon);
  }

  /** A copy with other added getInfo members. */
  public Quirks withGetInfoAdds(Set<GetInfoMember> value) {
    return new Quirks(resetWindow, ctaphidChannelAllocation, getInfoOmits, noCredentialsAfterTouch, getInfoOmitsOptions, getInfoFalseOptions, value, userVerificationMgmtPreviewAlwaysTrue, credMgmtOnBothCommands, keepUserIcon);
  }

  /** A copy with the other userVerificationMgmtPreview behaviour. */
  public Quirks withUserVerificationMgmtPreviewAlwaysTrue(boolean value) {
    return new Quirks(resetWindow, ctaphidChannelAllocation, getInfoOmits, noCredentialsAfterTouch, getInfoOmitsOptions, getInfoFalseOptions, getInfoAdds, value, credMgmtOnBothCommands, keepUserIcon);
  }

  /** A copy with the other credential management commands of a FIDO_2_1_PRE model. */
  public Quirks withCredMgmtOnBothCommands(boolean value) {
    return new Quirks(resetWindow, ctaphidChannelAllocation, getInfoOmits, noCredentialsAfterTouch, getInfoOmitsOptions, getInfoFalseOptions, getInfoAdds, userVerificationMgmtPreviewAlwaysTrue, value, keepUserIcon);
  }

  /** A copy that keeps or drops the user entity's icon. */
  public Quirks withKeepUserIcon(boolean value) {
    return new Quirks(resetWindow, ctaphidChannelAllocation, getInfoOmits, noCredentialsAfterTouch, getInfoOmitsOptions, getInfoFalseOptions, getInfoAdds, userVerificationMgmtPreviewAlwaysTrue, credMgmtOnBothCommands, value);
  }

  /** CTAPHID channel allocation (CTAP 2.1 section 11.2.3). */
  public enum ChannelAllocation implements JsonName {
    /** Only channels that CTAPHID_INIT allocated; others get ERR_INVALID_CHANNEL. */
    STRICT("strict"),
    /** Any CID other than 0 and 0xffffffff is allocated on first use (Solo 1). */
    LENIENT("lenient");

    private final String jsonName;

    ChannelAllocation(String jsonName) {
      this.jsonName = jsonName;
    }

    @Override
    public String jsonName() {
      return jsonName;
    }
  }

  /** getInfo members a model may leave out (CTAP 2.1 section 6.4: all of them are optional). */
  public enum GetInfoMember implements JsonName {
    MAX_MSG_SIZE(0x05, "maxMsgSize"),
    MAX_CREDENTIAL_COUNT_IN_LIST(0x07, "maxCredentialCountInList"),
    MAX_CREDENTIAL_ID_LENGTH(0x08, "maxCredentialIdLength"),
    TRANSPORTS(0x09, "transports"),
    ALGORITHMS(0x0A, "algorithms"),
    MIN_PIN_LENGTH(0x0D, "minPINLength"),
    FORCE_PIN_CHANGE(0x0C, "forcePINChange"),
    PREFERRED_PLATFORM_UV_ATTEMPTS(0x11, "preferredPlatformUvAttempts"),
    UV_MODALITY(0x12, "uvModality"),
    REMAINING_DISCOVERABLE_CREDENTIALS(0x14, "remainingDiscoverableCredentials");

    private final int key;
    private final String jsonName;

    GetInfoMember(int key, String jsonName) {
      this.key = key;
      this.jsonName = jsonName;
    }

    /** The getInfo response map key. */
    public int key() {
      return key;
    }

    /** The spec's member name, which is also its spelling in profile JSON. */
    @Override
    public String jsonName() {
      return jsonName;
    }

    /** The members CTAP 2.0-era models leave out (see {@link Quirks#getInfoOmits}). */
    public static Set<GetInfoMember> ctap20Era() {
      return EnumSet.of(MAX_CREDENTIAL_COUNT_IN_LIST, MAX_CREDENTIAL_ID_LENGTH, TRANSPORTS, ALGORITHMS);
    }
  }

  /**
   * When authenticatorReset is accepted over one transport (CTAP 2.1 section 6.6). JSON: {@code
   * "any-time"}, {@code "disabled"}, or a window after power-up such as {@code "10s"} or {@code
   * "2500ms"}.
   *
   * @param kind which of the three
   * @param afterPowerUp the window for {@link Kind#AFTER_POWER_UP}, {@link Duration#ZERO} otherwise
   */
  public record ResetWindow(Kind kind, Duration afterPowerUp) {
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s)");

    public enum Kind {
      /** Only within {@code afterPowerUp} of power-up; later CTAP2_ERR_NOT_ALLOWED. */
      AFTER_POWER_UP,
      /** At any time (after the touch every reset needs). */
      ANY_TIME,
      /** Not over this transport: CTAP2_ERR_OPERATION_DENIED. */
      DISABLED
    }

    public ResetWindow {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(afterPowerUp, "afterPowerUp");
      if (kind != Kind.AFTER_POWER_UP && !afterPowerUp.isZero()) {
        throw new IllegalArgumentException("only an after-power-up reset window has a duration");
      }
    }

    public static ResetWindow afterPowerUp(Duration window) {
      return new ResetWindow(Kind.AFTER_POWER_UP, window);
    }

    public static ResetWindow anyTime() {
      return new ResetWindow(Kind.ANY_TIME, Duration.ZERO);
    }

    public static ResetWindow disabled() {
      return new ResetWindow(Kind.DISABLED, Duration.ZERO);
    }

    /** The JSON spelling: "any-time", "disabled", "10s" or "2500ms". */
    public String jsonName() {
      return switch (kind) {
        case ANY_TIME -> "any-time";
        case DISABLED -> "disabled";
        case AFTER_POWER_UP ->
            afterPowerUp.toMillis() % 1000 == 0 ? afterPowerUp.toSeconds() + "s" : afterPowerUp.toMillis() + "ms";
      };
    }

    /** Parses the JSON spelling; empty if it is none of the three forms. */
    public static Optional<ResetWindow> fromJsonName(String s) {
      if (s.equals("any-time")) {
        return Optional.of(anyTime());
      }
      if (s.equals("disabled")) {
        return Optional.of(disabled());
      }
      Matcher m = DURATION.matcher(s);
      if (!m.matches()) {
        return Optional.empty();
      }
      long n = Long.parseLong(m.group(1));
      return Optional.of(afterPowerUp(m.group(2).equals("s") ? Duration.ofSeconds(n) : Duration.ofMillis(n)));
    }

    @Override
    public String toString() {
      return jsonName();
    }
  }

  /**
   * The reset window per transport: {@code byTransport} where a transport is named, {@code
   * otherwise} for the rest (and for requests whose transport softkey does not know). JSON: {@code
   * {"default": "10s", "nfc": "disabled"}}.
   */
  public record ResetWindows(ResetWindow otherwise, Map<Transport, ResetWindow> byTransport) {
    public ResetWindows {
      Objects.requireNonNull(otherwise, "otherwise");
      byTransport = Map.copyOf(byTransport);
    }

    /** The same window over every transport. */
    public static ResetWindows everywhere(ResetWindow w) {
      return new ResetWindows(w, Map.of());
    }

    /** A copy with {@code w} over {@code t}. */
    public ResetWindows with(Transport t, ResetWindow w) {
      Map<Transport, ResetWindow> m = new EnumMap<>(Transport.class);
      m.putAll(byTransport);
      m.put(t, w);
      return new ResetWindows(otherwise, m);
    }

    /** The window over {@code transport}; unknown transports get {@link #otherwise}. */
    public ResetWindow forTransport(Optional<Transport> transport) {
      return transport.map(byTransport::get).orElse(otherwise);
    }
  }
}
