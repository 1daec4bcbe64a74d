package dev.softkey.core.ctap2;

import dev.softkey.core.profile.Profile;
import dev.softkey.core.store.DeviceStateStore;
import java.util.List;
import java.util.Optional;

/**
 * What authenticatorConfig has set, read where the spec says it takes effect: alwaysUv
 * (makeCredential step 6, getAssertion step 5, CTAP1/U2F, getInfo), enterprise attestation
 * (makeCredential step 9, getInfo ep) and minPinLengthRPIDs (the minPinLength extension). The state
 * is the {@link ConfigRecord} in the {@link DeviceStateStore}, read on each call (the store keeps
 * records in memory), so every handler sees the same value without sharing an object. The
 * authenticatorConfig handler (core.ctap2.config) changes it through the methods below, each of
 * which writes the record before the command is acknowledged.
 */
public final class ConfigState {
  private ConfigState() {}

  /** The config record, or the profile's initial values when none is stored. */
  static ConfigRecord current(AuthenticatorEnv env) {
    return current(env.profile(), env.state());
  }

  static ConfigRecord current(Profile profile, DeviceStateStore store) {
    return store
        .get(ConfigRecord.STORE_KEY)
        .map(ConfigRecord::decode)
        .orElseGet(() -> ConfigRecord.initial(profile.management().config().map(Profile.Config::alwaysUv).orElse(false)));
  }

  /** Writes the record before the command that changed it is acknowledged. */
  static void put(AuthenticatorEnv env, ConfigRecord r) {
    env.state().put(ConfigRecord.STORE_KEY, r.encode());
  }

  /** toggleAlwaysUv: flips alwaysUv, durably. */
  public static void toggleAlwaysUv(AuthenticatorEnv env) {
    ConfigRecord r = current(env);
    put(env, r.withAlwaysUv(!r.alwaysUv()));
  }

  /** enableEnterpriseAttestation: ep true, durably (nothing to write when it already is). */
  public static void enableEnterpriseAttestation(AuthenticatorEnv env) {
    ConfigRecord r = current(env);
    if (!r.enterpriseAttestation()) {
      put(env, r.withEnterpriseAttestation(true));
    }
  }

  /** setMinPINLength's minPinLengthRPIDs: they replace the stored list, durably. */
  public static void setMinPinLengthRpIds(AuthenticatorEnv env, List<String> rpIds) {
    put(env, current(env).withMinPinLengthRpIds(rpIds));
  }

  /** The stored minPinLengthRPIDs of a store (for tools and tests that hold no AuthenticatorEnv). */
  public static List<String> minPinLengthRpIds(Profile profile, DeviceStateStore store) {
    return current(profile, store).minPinLengthRpIds();
  }

  /** The model has authenticatorConfig (option authnrCfg). */
  public static boolean supported(Profile profile) {
    return profile.management().config().isPresent();
  }

  /**
   * The alwaysUv option ID is present and true (CTAP 2.1 section 6.4): only on a model with
   * authenticatorConfig, where toggleAlwaysUv changes it.
   */
  public static boolean alwaysUv(AuthenticatorEnv env) {
    return supported(env.profile()) && current(env).alwaysUv();
  }

  /** Enterprise attestation is capable and enabled (getInfo ep true, makeCredential step 9.1). */
  public static boolean enterpriseAttestationEnabled(AuthenticatorEnv env) {
    return env.profile().management().enterpriseAttestation().isPresent()
        && supported(env.profile())
        && current(env).enterpriseAttestation();
  }

  /** The enterprise attestation modes of the model, when it is capable. */
  public static Optional<Profile.EnterpriseAttestation> enterpriseAttestation(AuthenticatorEnv env) {
    return env.profile().management().enterpriseAttestation();
  }

  /**
   * The RP IDs setMinPINLength's minPinLengthRPIDs named (CTAP 2.1 section 6.11.4): the RPs the
   * minPinLength extension (section 12.4) may report the current minimum PIN length to. Empty when
   * none were set or since authenticatorReset.
   */
  public static List<String> minPinLengthRpIds(AuthenticatorEnv env) {
    return supported(env.profile()) ? current(env).minPinLengthRpIds() : List.of();
  }

  /**
   * authenticatorReset: forget everything config set, so alwaysUv is back to the profile's value,
   * enterprise attestation is disabled and no RP ID is configured.
   */
  public static void reset(AuthenticatorEnv env) {
    env.state().remove(ConfigRecord.STORE_KEY);
  }
}
