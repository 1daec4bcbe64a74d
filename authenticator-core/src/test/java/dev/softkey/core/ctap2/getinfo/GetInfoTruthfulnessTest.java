package dev.softkey.core.ctap2.getinfo;

import static dev.softkey.core.testing.CtapTestClient.getAssertion;
import static dev.softkey.core.testing.CtapTestClient.makeCredential;
import static dev.softkey.core.testing.CtapTestClient.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.softkey.core.OperationContext;
import dev.softkey.core.presence.Presence;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.testing.CtapTestClient;
import dev.softkey.core.testing.CtapTestClient.Response;
import dev.softkey.core.testing.TestDevices;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.command.BioEnrollmentRequest;
import dev.softkey.ctap.command.ClientPinRequest;
import dev.softkey.ctap.command.ClientPinResponse;
import dev.softkey.ctap.command.ConfigRequest;
import dev.softkey.ctap.command.CredentialManagementRequest;
import dev.softkey.ctap.command.CtapRequest;
import dev.softkey.ctap.command.GetAssertionResponse;
import dev.softkey.ctap.command.GetInfoResponse;
import dev.softkey.ctap.command.LargeBlobsRequest;
import dev.softkey.ctap.command.MakeCredentialRequest;
import dev.softkey.ctap.command.MakeCredentialResponse;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.Permission;
import dev.softkey.platform.pin.PinToken;
import dev.softkey.platform.pin.PlatformPin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * getInfo stays truthful (CTAP 2.1 section 6.4): for every built-in profile, every option getInfo
 * advertises is exercised through the engine and works as its value says, every command getInfo
 * advertises answers, and every command it does not advertise answers CTAP1_ERR_INVALID_COMMAND.
 *
 * <p>{@link #OPTION_CHECKS} has one check per option the spec defines, also for options no handler
 * reports yet (credMgmt, authnrCfg, ep, bioEnroll, ...): when a handler starts reporting one, its
 * check runs. An advertised option without a check fails by name, so a new option cannot be
 * advertised untested.
 */
class GetInfoTruthfulnessTest {
  static final String PIN = "4711-truth";
  static final String RP = "truth.example";

  /** A fresh engine of one profile, with softkey's platform PIN client over its CTAP bytes. */
  static final class Key {
    final Profile profile;
    final CtapTestClient client;
    final PlatformPin pin;
    private boolean pinSet;

    Key(Profile profile) {
      this.profile = profile;
      TestDevices.Device d = TestDevices.build(profile, Presence.approve());
      this.client = d.client();
      GetInfoResponse info = GetInfoResponse.fromCbor(client.send(CtapCommand.GET_INFO, null).ok());
      int protocol = info.pinUvAuthProtocols().orElse(List.of(1L)).get(0).intValue();
      boolean permissions = info.options().orElse(Map.of()).getOrDefault("pinUvAuthToken", false);
      this.pin = new PlatformPin(req -> d.authenticator().process(req, OperationContext.INTERNAL), protocol, permissions, RandomSource.seeded(9));
    }

    GetInfoResponse info() {
      return GetInfoResponse.fromCbor(client.send(CtapCommand.GET_INFO, null).ok());
    }

    Map<String, Boolean> options() {
      return info().options().orElse(Map.of());
    }

    Response send(CtapRequest r) {
      return client.sendRaw(r.encode());
    }

    Response send(CtapCommand c, Map<Object, Object> params) {
      return client.send(c, params);
    }

    void setPin() {
      if (!pinSet) {
        pin.setPin(PIN);
        pinSet = true;
      }
    }

    /** A pinUvAuthToken from the PIN, as libfido2 gets one: 0x09 with permissions, or getPinToken. */
    PinToken token(Set<Permission> permissions, Optional<String> rpId) {
      setPin();
      return pin.getPinUvAuthToken(PIN, permissions, rpId);
    }

    /**
     * makeCredential for {@code user} on {@link #RP}, with a token when one is given. Without one,
     * a model that needs user verification for every credential gets it: the finger (option uv)
     * on a key with an enrolled one and no makeCredUvNotRqd, a token from the PIN on a model whose
     * alwaysUv is on from the factory (the YubiKey 5 FIPS and Bio at 5.5 and later).
     */
    Response makeCredential(byte[] user, Map<Object, Object> options, Optional<PinToken> token) {
      if (token.isEmpty() && (options == null || !options.containsKey("uv"))) {
        boolean alwaysUvByDefault = profile.management().config().map(Profile.Config::alwaysUv).orElse(false);
        if (options().getOrDefault("uv", false) && !options().getOrDefault("makeCredUvNotRqd", false)) {
          // A key protected by built-in UV that requires it for every credential (a bio key
          // without makeCredUvNotRqd, a phone passkey provider): the platform asks for uv, as for
          // a discoverable credential (section 6.1.2 step 11).
          options = options == null ? new java.util.LinkedHashMap<>() : new java.util.LinkedHashMap<>(options);
          options.put("uv", true);
        } else if (options == null && alwaysUvByDefault && options().getOrDefault("alwaysUv", false)) {
          token = Optional.of(token(Set.of(Permission.MAKE_CREDENTIAL, Permission.GET_ASSERTION), Optional.of(RP)));
        }
      }
      Map<Object, Object> mc = CtapTestClient.makeCredential(RP, user, List.of(-7L), options);
      token.ifPresent(t -> {
        mc.put(MakeCredentialRequest.PIN_UV_AUTH_PARAM, t.authenticate(((Bytes) mc.get(1L)).toArray()));
        mc.put(MakeCredentialRequest.PIN_UV_AUTH_PROTOCOL, (long) t.protocol());
      });
      return send(CtapCommand.MAKE_CREDENTIAL, mc);
    }

    /**
     * getAssertion on {@link #RP}; with alwaysUv on (section 6.2.2 step 5), with UV: the finger when
     * one is enrolled, else a token from the PIN.
     */
    Map<Object, Object> assertionRequest(List<Bytes> allowList) {
      if (!options().getOrDefault("alwaysUv", false)) {
        return getAssertion(RP, allowList, null);
      }
      if (options().getOrDefault("uv", false)) {
        return getAssertion(RP, allowList, map("uv", true));
      }
      Map<Object, Object> ga = getAssertion(RP, allowList, null);
      PinToken t = token(Set.of(Permission.GET_ASSERTION), Optional.of(RP));
      ga.put(0x06L, t.authenticate(((Bytes) ga.get(2L)).toArray()));
      ga.put(0x07L, (long) t.protocol());
      return ga;
    }

    /** A discoverable credential made with the PIN (or without UV when no PIN client is reported). */
    void discoverable(byte[] user) {
      Optional<PinToken> t = pinSet || hasPinUv() ? Optional.of(token(Set.of(Permission.MAKE_CREDENTIAL, Permission.GET_ASSERTION), Optional.of(RP))) : Optional.empty();
      works(makeCredential(user, map("rk", true), t), "makeCredential rk");
    }

    boolean hasPinUv() {
      return options().containsKey("clientPin");
    }

    /** authenticatorConfig subcommand with an acfg token (section 6.11: pinUvAuthParam over 32×0xff || 0x0d || subCommand || params). */
    Response config(ConfigRequest r) {
      PinToken t = token(Set.of(Permission.AUTHENTICATOR_CONFIG), Optional.empty());
      return send(r.withPinUvAuth(t.protocol(), t.authenticate(r.pinUvAuthMessage().toArray())));
    }

    /** A credential management subcommand under {@code command} with a cm token. */
    Response credMgmt(CtapCommand command, CredentialManagementRequest.SubCommand sub) {
      CredentialManagementRequest r = CredentialManagementRequest.of(sub).withCommand(command);
      PinToken t = token(Set.of(Permission.CREDENTIAL_MANAGEMENT), Optional.empty());
      return send(r.withPinUvAuth(t.protocol(), t.authenticate(r.pinUvAuthMessage().toArray())));
    }

    /** A bio enrollment subcommand under {@code command}, with a be token when {@code token}. */
    Response bio(CtapCommand command, BioEnrollmentRequest.SubCommand sub, boolean token) {
      BioEnrollmentRequest r = BioEnrollmentRequest.of(sub).withCommand(command);
      if (!token) {
        return send(r);
      }
      PinToken t = this.token(Set.of(Permission.BIO_ENROLLMENT), Optional.empty());
      return send(r.withPinUvAuth(t.protocol(), t.authenticate(r.pinUvAuthMessage().toArray())));
    }
  }

  /** The command exists and accepted the request: what "works" means for an advertised feature. */
  static CborMap works(Response r, String what) {
    assertThat(r.status())
        .as(what + " (an advertised feature must not answer INVALID_COMMAND, INVALID_SUBCOMMAND or UNAUTHORIZED_PERMISSION)")
        .isNotIn(CtapStatus.CTAP1_ERR_INVALID_COMMAND, CtapStatus.CTAP2_ERR_INVALID_SUBCOMMAND, CtapStatus.CTAP2_ERR_UNAUTHORIZED_PERMISSION)
        .isEqualTo(CtapStatus.CTAP2_OK);
    return r.body() == null ? new CborMap(Map.of()) : r.body();
  }

  static int flags(CborMap makeCredentialResponse) {
    return makeCredentialResponse.bytes(MakeCredentialResponse.AUTH_DATA).toArray()[32] & 0xFF;
  }

  /** setMinPINLength with an empty parameter map: a valid request that changes nothing. */
  static final ConfigRequest NO_CHANGE =
      ConfigRequest.setMinPinLength(new ConfigRequest.SetMinPinLengthParams(Optional.empty(), List.of(), Optional.empty()));

  static final int UP = 0x01;
  static final int UV = 0x04;
  static final byte[] ALICE = {1, 1};
  static final byte[] BOB = {2, 2};

  /**
   * One check per getInfo option of CTAP 2.1 section 6.4: given a fresh key and the advertised
   * value, exercise what the option promises.
   */
  static final Map<String, BiConsumer<Key, Boolean>> OPTION_CHECKS =
      Map.ofEntries(
          Map.entry("plat", (k, v) -> {
            // A roaming key: plat false, and a transport to roam over.
            assertThat(v).as("plat").isFalse();
            if (!k.profile.quirks().getInfoOmits().contains(dev.softkey.core.profile.Quirks.GetInfoMember.TRANSPORTS)) {
              assertThat(k.info().transports().orElse(List.of())).isNotEmpty();
            }
          }),
          Map.entry("rk", (k, v) -> {
            // A key with configured built-in UV is protected: a discoverable credential needs UV
            // (section 6.1.2 step 11), which the "uv" option asks for.
            boolean builtInUv = k.options().getOrDefault("uv", false);
            boolean alwaysUv = k.options().getOrDefault("alwaysUv", false);
            Optional<PinToken> t =
                alwaysUv && !builtInUv ? Optional.of(k.token(Set.of(Permission.MAKE_CREDENTIAL, Permission.GET_ASSERTION), Optional.of(RP))) : Optional.empty();
            Response mc = k.makeCredential(ALICE, builtInUv ? map("rk", true, "uv", true) : map("rk", true), t);
            if (!v) {
              assertThat(mc.status()).isEqualTo(CtapStatus.CTAP2_ERR_UNSUPPORTED_OPTION);
              return;
            }
            works(mc, "makeCredential rk");
            CborMap ga = works(k.send(CtapCommand.GET_ASSERTION, k.assertionRequest(null)), "getAssertion without allowList");
            assertThat(ga.map(GetAssertionResponse.USER).bytes("id")).isEqualTo(Bytes.wrap(ALICE));
          }),
          Map.entry("up", (k, v) -> {
            assertThat(v).as("up: every softkey tests user presence").isTrue();
            assertThat(flags(works(k.makeCredential(ALICE, null, Optional.empty()), "makeCredential")) & UP).isEqualTo(UP);
          }),
          Map.entry("uv", (k, v) -> {
            Response mc = k.makeCredential(ALICE, map("uv", true), Optional.empty());
            if (v) {
              assertThat(flags(works(mc, "makeCredential uv")) & UV).as("UV flag").isEqualTo(UV);
            } else {
              // Built-in UV that is not configured yet (no enrollment): getUVRetries still answers.
              works(k.send(CtapCommand.CLIENT_PIN, map(ClientPinRequest.SUB_COMMAND, 7L)), "getUVRetries");
            }
          }),
          Map.entry("clientPin", (k, v) -> {
            assertThat(v).as("a fresh key has no PIN").isFalse();
            works(k.send(CtapCommand.CLIENT_PIN, map(ClientPinRequest.SUB_COMMAND, 1L)), "getPINRetries");
            k.setPin();
            assertThat(k.options()).containsEntry("clientPin", true);
          }),
          Map.entry("pinUvAuthToken", (k, v) -> {
            assertThat(v).isTrue();
            PinToken t = k.token(Set.of(Permission.MAKE_CREDENTIAL), Optional.of(RP));
            assertThat(flags(works(k.makeCredential(ALICE, null, Optional.of(t)), "makeCredential with a 0x09 token")) & UV).isEqualTo(UV);
          }),
          Map.entry("noMcGaPermissionsWithClientPin", (k, v) -> {
            k.setPin();
            PinToken legacy = k.pin.getPinToken(PIN);
            Response mc = k.makeCredential(ALICE, null, Optional.of(legacy));
            if (v) {
              assertThat(mc.status()).as("a getPinToken token has no mc permission").isNotEqualTo(CtapStatus.CTAP2_OK);
            } else {
              works(mc, "makeCredential with a getPinToken token");
            }
          }),
          Map.entry("makeCredUvNotRqd", (k, v) -> {
            k.setPin();
            Response mc = k.send(CtapCommand.MAKE_CREDENTIAL, makeCredential(RP, ALICE, List.of(-7L), null));
            if (v) {
              assertThat(flags(works(mc, "non-discoverable makeCredential without UV on a key with a PIN")) & UV).isZero();
            } else {
              assertThat(mc.status()).isEqualTo(CtapStatus.CTAP2_ERR_PUAT_REQUIRED);
            }
          }),
          Map.entry("alwaysUv", (k, v) -> {
            ConfigRequest toggle = ConfigRequest.of(ConfigRequest.SubCommand.TOGGLE_ALWAYS_UV);
            works(k.config(toggle), "toggleAlwaysUv");
            Map<String, Boolean> after = k.options();
            assertThat(after).containsEntry("alwaysUv", !v);
            if (!v) {
              // Section 6.4: with alwaysUv on, makeCredUvNotRqd is false; makeCredential needs UV.
              assertThat(after.getOrDefault("makeCredUvNotRqd", false)).isFalse();
              assertThat(k.send(CtapCommand.MAKE_CREDENTIAL, makeCredential(RP, ALICE, List.of(-7L), null)).status()).isNotEqualTo(CtapStatus.CTAP2_OK);
            }
            works(k.config(toggle), "toggleAlwaysUv back");
            assertThat(k.options()).containsEntry("alwaysUv", v);
          }),
          Map.entry("authnrCfg", (k, v) -> {
            assertThat(v).isTrue();
            // setMinPINLength with empty parameters changes nothing and must succeed (section 6.11.4;
            // without subCommandParams OpenSK answers CTAP2_ERR_MISSING_PARAMETER).
            works(k.config(NO_CHANGE), "authenticatorConfig setMinPINLength {}");
          }),
          Map.entry("setMinPINLength", (k, v) -> {
            assertThat(v).isTrue();
            long before = k.info().minPinLength().orElseThrow();
            works(
                k.config(ConfigRequest.setMinPinLength(new ConfigRequest.SetMinPinLengthParams(Optional.of(before + 2), List.of(), Optional.empty()))),
                "setMinPINLength +2");
            assertThat(k.info().minPinLength()).contains(before + 2);
          }),
          Map.entry("ep", (k, v) -> {
            if (!v) {
              works(k.config(ConfigRequest.of(ConfigRequest.SubCommand.ENABLE_ENTERPRISE_ATTESTATION)), "enableEnterpriseAttestation");
              assertThat(k.options()).containsEntry("ep", true);
            }
            // makeCredential step 9: an enterprise attestation in a mode the model has.
            Profile.EnterpriseAttestation ea = k.profile.management().enterpriseAttestation().orElseThrow(() -> new AssertionError("ep advertised without a profile section"));
            String rp = ea.platformManaged() ? RP : ea.vendorFacilitatedRpIds().get(0);
            long mode = ea.platformManaged() ? 2 : 1;
            Map<Object, Object> mc = makeCredential(rp, ALICE, List.of(-7L), null);
            PinToken t = k.token(Set.of(Permission.MAKE_CREDENTIAL), Optional.of(rp));
            mc.put(MakeCredentialRequest.PIN_UV_AUTH_PARAM, t.authenticate(((Bytes) mc.get(1L)).toArray()));
            mc.put(MakeCredentialRequest.PIN_UV_AUTH_PROTOCOL, (long) t.protocol());
            mc.put(MakeCredentialRequest.ENTERPRISE_ATTESTATION, mode);
            assertThat(works(k.send(CtapCommand.MAKE_CREDENTIAL, mc), "makeCredential enterpriseAttestation " + mode).optBool(MakeCredentialResponse.EP_ATT))
                .as("epAtt")
                .contains(true);
          }),
          Map.entry("credMgmt", (k, v) -> credMgmtCheck(k, v, CtapCommand.CREDENTIAL_MANAGEMENT)),
          Map.entry("credentialMgmtPreview", (k, v) -> credMgmtCheck(k, v, CtapCommand.CREDENTIAL_MANAGEMENT_PREVIEW)),
          Map.entry("bioEnroll", (k, v) -> bioCheck(k, v, CtapCommand.BIO_ENROLLMENT)),
          Map.entry("userVerificationMgmtPreview", (k, v) -> bioCheck(k, v, CtapCommand.BIO_ENROLLMENT_PREVIEW)),
          Map.entry("uvBioEnroll", (k, v) -> {
            if (v) {
              assertThat(k.pin.getUvToken(Set.of(Permission.BIO_ENROLLMENT), Optional.empty()).token().length()).isPositive();
            }
          }),
          Map.entry("uvAcfg", (k, v) -> {
            if (v && !k.options().containsKey("uv")) {
              // uvAcfg on a key without built-in UV (Feitian ePass CTAP2.1 reports it so, MDS3): no
              // token ever comes from UV, so getPinUvAuthTokenUsingUvWithPermissions does not exist.
              assertThat(k.send(CtapCommand.CLIENT_PIN, map(ClientPinRequest.SUB_COMMAND, 6L)).status())
                  .isEqualTo(CtapStatus.CTAP2_ERR_INVALID_SUBCOMMAND);
              return;
            }
            if (v) {
              assertThat(k.pin.getUvToken(Set.of(Permission.AUTHENTICATOR_CONFIG), Optional.empty()).token().length()).isPositive();
            }
          }),
          Map.entry("largeBlobs", (k, v) -> {
            if (!v) {
              // Section 6.4: false means authenticatorLargeBlobs is not supported (Nitrokey 3 says so).
              assertThat(k.send(LargeBlobsRequest.get(0, 17)).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_COMMAND);
              return;
            }
            // largeBlobs get (section 6.10.2): an empty array is the initial serialized array.
            assertThat(works(k.send(LargeBlobsRequest.get(0, 17)), "largeBlobs get").bytes(0x01L).length()).isPositive();
          }));

  static void credMgmtCheck(Key k, boolean v, CtapCommand command) {
    assertThat(v).isTrue();
    k.discoverable(ALICE);
    CborMap meta = works(k.credMgmt(command, CredentialManagementRequest.SubCommand.GET_CREDS_METADATA), command + " getCredsMetadata");
    assertThat(meta.longValue(0x01L)).as("existingResidentCredentialsCount").isEqualTo(1);
    CborMap rps = works(k.credMgmt(command, CredentialManagementRequest.SubCommand.ENUMERATE_RPS_BEGIN), command + " enumerateRPsBegin");
    assertThat(rps.map(0x03L).text("id")).isEqualTo(RP);
  }

  static void bioCheck(Key k, boolean v, CtapCommand command) {
    CborMap sensor = works(k.bio(command, BioEnrollmentRequest.SubCommand.GET_FINGERPRINT_SENSOR_INFO, false), command + " getFingerprintSensorInfo");
    assertThat(sensor.optLong(0x02L)).as("fingerprintKind").isPresent();
    Response list = k.bio(command, BioEnrollmentRequest.SubCommand.ENUMERATE_ENROLLMENTS, true);
    if (v) {
      assertThat(works(list, command + " enumerateEnrollments").list(0x07L)).isNotEmpty();
    } else {
      // Section 6.7.6: no enrollment yet.
      assertThat(list.status()).isEqualTo(CtapStatus.CTAP2_ERR_INVALID_OPTION);
    }
  }

  /**
   * Which commands getInfo advertises, and how: the mandatory ones always, the others through an
   * option (section 6.4) or, for authenticatorSelection, the FIDO_2_1 version.
   */
  static final Map<CtapCommand, Predicate<GetInfoResponse>> ADVERTISED =
      Map.ofEntries(
          Map.entry(CtapCommand.MAKE_CREDENTIAL, i -> true),
          Map.entry(CtapCommand.GET_ASSERTION, i -> true),
          Map.entry(CtapCommand.GET_NEXT_ASSERTION, i -> true),
          Map.entry(CtapCommand.GET_INFO, i -> true),
          Map.entry(CtapCommand.RESET, i -> true),
          Map.entry(CtapCommand.CLIENT_PIN, i -> hasOption(i, "clientPin") || hasOption(i, "pinUvAuthToken") || hasOption(i, "uv")),
          Map.entry(CtapCommand.SELECTION, i -> i.versions().contains("FIDO_2_1")),
          Map.entry(CtapCommand.CREDENTIAL_MANAGEMENT, i -> hasOption(i, "credMgmt")),
          Map.entry(CtapCommand.CREDENTIAL_MANAGEMENT_PREVIEW, i -> hasOption(i, "credentialMgmtPreview")),
          Map.entry(CtapCommand.BIO_ENROLLMENT, i -> hasOption(i, "bioEnroll")),
          Map.entry(CtapCommand.BIO_ENROLLMENT_PREVIEW, i -> hasOption(i, "userVerificationMgmtPreview")),
          Map.entry(CtapCommand.CONFIG, i -> hasOption(i, "authnrCfg")),
          Map.entry(CtapCommand.LARGE_BLOBS, i -> i.options().orElse(Map.of()).getOrDefault("largeBlobs", false)));

  static boolean hasOption(GetInfoResponse i, String name) {
    return i.options().orElse(Map.of()).containsKey(name);
  }

  /** A request each advertised command must answer with CTAP2_OK. */
  static final Map<CtapCommand, Consumer<Key>> COMMAND_CHECKS =
      Map.ofEntries(
          Map.entry(CtapCommand.MAKE_CREDENTIAL, k -> works(k.makeCredential(ALICE, null, Optional.empty()), "makeCredential")),
          Map.entry(CtapCommand.GET_ASSERTION, k -> {
            Bytes id = works(k.makeCredential(ALICE, null, Optional.empty()), "makeCredential").bytes(MakeCredentialResponse.AUTH_DATA);
            Bytes credentialId = Bytes.wrap(java.util.Arrays.copyOfRange(id.toArray(), 55, 55 + (((id.toArray()[53] & 0xFF) << 8) | (id.toArray()[54] & 0xFF))));
            works(k.send(CtapCommand.GET_ASSERTION, k.assertionRequest(List.of(credentialId))), "getAssertion with allowList");
          }),
          Map.entry(CtapCommand.GET_NEXT_ASSERTION, k -> {
            k.discoverable(ALICE);
            k.discoverable(BOB);
            Map<Object, Object> ga = getAssertion(RP, null, null);
            if (k.pinSet) {
              PinToken t = k.token(Set.of(Permission.GET_ASSERTION), Optional.of(RP));
              ga.put(0x06L, t.authenticate(((Bytes) ga.get(2L)).toArray()));
              ga.put(0x07L, (long) t.protocol());
            }
            assertThat(works(k.send(CtapCommand.GET_ASSERTION, ga), "getAssertion").longValue(GetAssertionResponse.NUMBER_OF_CREDENTIALS)).isEqualTo(2);
            works(k.send(CtapCommand.GET_NEXT_ASSERTION, null), "getNextAssertion");
          }),
          Map.entry(CtapCommand.GET_INFO, k -> works(k.send(CtapCommand.GET_INFO, null), "getInfo")),
          Map.entry(CtapCommand.RESET, k -> works(k.send(CtapCommand.RESET, null), "reset within the window")),
          Map.entry(CtapCommand.CLIENT_PIN, k -> {
            works(k.send(CtapCommand.CLIENT_PIN, map(ClientPinRequest.SUB_COMMAND, 1L)), "getPINRetries");
            assertThat(works(k.send(CtapCommand.CLIENT_PIN, map(ClientPinRequest.PIN_UV_AUTH_PROTOCOL, (long) k.pin.protocolVersion(), ClientPinRequest.SUB_COMMAND, 2L)), "getKeyAgreement")
                    .has(ClientPinResponse.KEY_AGREEMENT))
                .isTrue();
          }),
          Map.entry(CtapCommand.SELECTION, k -> works(k.send(CtapCommand.SELECTION, null), "selection")),
          Map.entry(CtapCommand.CREDENTIAL_MANAGEMENT, k -> credMgmtCheck(k, true, CtapCommand.CREDENTIAL_MANAGEMENT)),
          Map.entry(CtapCommand.CREDENTIAL_MANAGEMENT_PREVIEW, k -> credMgmtCheck(k, true, CtapCommand.CREDENTIAL_MANAGEMENT_PREVIEW)),
          Map.entry(CtapCommand.BIO_ENROLLMENT, k -> works(k.bio(CtapCommand.BIO_ENROLLMENT, BioEnrollmentRequest.SubCommand.GET_FINGERPRINT_SENSOR_INFO, false), "getFingerprintSensorInfo")),
          Map.entry(CtapCommand.BIO_ENROLLMENT_PREVIEW, k -> works(k.bio(CtapCommand.BIO_ENROLLMENT_PREVIEW, BioEnrollmentRequest.SubCommand.GET_FINGERPRINT_SENSOR_INFO, false), "getFingerprintSensorInfo (preview)")),
          Map.entry(CtapCommand.CONFIG, k -> works(k.config(NO_CHANGE), "authenticatorConfig setMinPINLength {}")),
          Map.entry(CtapCommand.LARGE_BLOBS, k -> works(k.send(LargeBlobsRequest.get(0, 17)), "largeBlobs get")));

  static Stream<Profile> profiles() {
    return Profiles.allBuiltIn().stream();
  }

  @Test
  void everyCommandHasAnAdvertisingRule_andACheck() {
    assertThat(ADVERTISED.keySet()).containsExactlyInAnyOrder(CtapCommand.values());
    assertThat(COMMAND_CHECKS.keySet()).containsExactlyInAnyOrder(CtapCommand.values());
  }

  @TestFactory
  Stream<DynamicNode> everyAdvertisedOption_isExercised_andWorksAsItsValueSays() {
    return profiles().map(p -> DynamicContainer.dynamicContainer(p.identity().id(), new Key(p).options().entrySet().stream().map(o ->
        DynamicTest.dynamicTest(o.getKey() + "=" + o.getValue(),
            () -> named(p.identity().id() + " option " + o.getKey() + "=" + o.getValue(), () -> checkFor(p, o.getKey()).accept(new Key(p), o.getValue()))))));
  }

  /**
   * Runs {@code check}; a failure names the profile and what was checked ({@code what}), since
   * surefire reports dynamic tests by their index.
   */
  static void named(String what, Runnable check) {
    try {
      check.run();
    } catch (AssertionError e) {
      throw new AssertionError(what + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new AssertionError(what + ": " + e, e); // a CtapException from the PIN client, say
    }
  }

  /** The check of an advertised option; an option without one fails, naming the profile and the option. */
  static BiConsumer<Key, Boolean> checkFor(Profile p, String option) {
    BiConsumer<Key, Boolean> check = OPTION_CHECKS.get(option);
    if (check == null) {
      fail("profile " + p.identity().id() + " advertises getInfo option " + option
          + ", which has no check in GetInfoTruthfulnessTest.OPTION_CHECKS: add one that exercises it");
    }
    return check;
  }

  @Test
  void anAdvertisedOptionWithoutACheck_failsNamingIt() {
    Profile generic = Profiles.defaultProfile();
    assertThat(checkFor(generic, "rk")).isSameAs(OPTION_CHECKS.get("rk"));
    assertThatThrownBy(() -> checkFor(generic, "someNewOption"))
        .isInstanceOf(AssertionError.class)
        .hasMessage("profile generic advertises getInfo option someNewOption, which has no check in GetInfoTruthfulnessTest.OPTION_CHECKS: add one that exercises it");
  }

  @Test
  void aCheckFails_whenTheKeyDoesNotDoWhatTheValueSays() {
    // rk=false on a key that makes discoverable credentials: the check expects UNSUPPORTED_OPTION.
    assertThatThrownBy(() -> OPTION_CHECKS.get("rk").accept(new Key(Profiles.defaultProfile()), false)).isInstanceOf(AssertionError.class);
    // A command the key does not have: INVALID_COMMAND is not "works".
    assertThatThrownBy(() -> works(new Key(Profiles.defaultProfile()).client.sendRaw(new byte[] {0x0F}), "command 0x0f"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("CTAP1_ERR_INVALID_COMMAND");
  }

  @TestFactory
  Stream<DynamicNode> everyAdvertisedCommand_answers() {
    return profiles().map(p -> {
      GetInfoResponse info = new Key(p).info();
      List<DynamicNode> tests = new ArrayList<>();
      for (CtapCommand c : CtapCommand.values()) {
        if (ADVERTISED.get(c).test(info)) {
          tests.add(DynamicTest.dynamicTest(c.name(), () -> named(p.identity().id() + " command " + c, () -> COMMAND_CHECKS.get(c).accept(new Key(p)))));
        }
      }
      return DynamicContainer.dynamicContainer(p.identity().id(), tests);
    });
  }

  @TestFactory
  Stream<DynamicNode> everyCommandNotAdvertised_isInvalidCommand() {
    return profiles().map(p -> {
      Key k = new Key(p);
      GetInfoResponse info = k.info();
      Set<Integer> known = new TreeSet<>();
      List<DynamicNode> tests = new ArrayList<>();
      for (CtapCommand c : CtapCommand.values()) {
        known.add(c.code());
        // A preview model with the quirk credMgmtOnBothCommands (Solo 1 firmware 4.x) answers 0x41
        // without advertising it, as that firmware does: getInfo reports credMgmt for both.
        boolean answeredUnadvertised = c == CtapCommand.CREDENTIAL_MANAGEMENT_PREVIEW && p.quirks().credMgmtOnBothCommands();
        if (!ADVERTISED.get(c).test(info) && !answeredUnadvertised) {
          tests.add(DynamicTest.dynamicTest(c.name() + " (0x" + Integer.toHexString(c.code()) + ")",
              () -> named(p.identity().id() + " unadvertised command " + c, () -> notACommand(new Key(p), c.code()))));
        }
      }
      tests.add(DynamicTest.dynamicTest("every command byte CTAP 2.1 does not define", () -> named(p.identity().id() + " undefined command bytes", () -> {
        for (int b = 0; b < 0x100; b++) {
          if (!known.contains(b)) {
            notACommand(k, b);
          }
        }
      })));
      return DynamicContainer.dynamicContainer(p.identity().id(), tests);
    });
  }

  /** A command byte the key does not advertise: CTAP1_ERR_INVALID_COMMAND, with or without parameters. */
  static void notACommand(Key k, int code) {
    assertThat(k.client.sendRaw(new byte[] {(byte) code}).status()).as("command 0x%02x alone", code).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_COMMAND);
    byte[] withParams = new byte[] {(byte) code, (byte) 0xA1, 0x01, 0x01}; // {1: 1}
    assertThat(k.client.sendRaw(withParams).status()).as("command 0x%02x {1: 1}", code).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_COMMAND);
  }

  @Test
  void theTableCovers_theOptionsOfCtap21() {
    // CTAP 2.1 section 6.4 "options": each has a check, so a handler that starts reporting one is tested.
    assertThat(OPTION_CHECKS.keySet())
        .containsAll(List.of(
            "plat", "rk", "clientPin", "up", "uv", "pinUvAuthToken", "noMcGaPermissionsWithClientPin", "largeBlobs", "ep",
            "bioEnroll", "userVerificationMgmtPreview", "uvBioEnroll", "authnrCfg", "uvAcfg", "credMgmt",
            "credentialMgmtPreview", "setMinPINLength", "makeCredUvNotRqd", "alwaysUv"));
  }
}
