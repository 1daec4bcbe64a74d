package dev.softkey.core.ctap2;

import dev.softkey.core.profile.Profile;
import dev.softkey.core.store.DeviceStateStore;
import java.util.List;
import java.util.Optional;

/**
 * What authenticatorConfig has set, read where the spec says it takes effect: alwaysUv
 * (makeCredential step 6, getAssertion step 5, CTAP1/U2F, getInfo), enterprise attestation
 * (makeCredential step 9, getInfo ep) and minPinLengthRPIDs (the minPinLength extension). One
 * instance per authenticator ({@link AuthenticatorEnv#config()}); it holds the {@link
 * ConfigRecord} decoded once, as {@code ClientPin} holds the PIN record, so makeCredential and
 * getAssertion read a field rather than decode the stored record. The authenticatorConfig handler
 * (core.ctap2.config) changes it through the methods below, each of which writes the record before
 * the command is acknowledged.
 */
public final class ConfigState {
  private final Profile profile;
  private final DeviceStateStore store;
  private ConfigRecord record;

  public ConfigState(Profile profile, DeviceStateStore store) {
    this.profile = profile;
    this.store = store;
    this.record = stored(profile, store);
  }

  /** The stored record, or the profile's initial values when none is stored. */
  private static ConfigRecord stored(Profile profile, DeviceStateStore store) {
    return store
        .get(ConfigRecord.STORE_KEY)
        .map(ConfigRecord::decode)
        .orElseGet(() -> ConfigRecord.initial(profile.management().config().map(Profile.Config::alwaysUv).orElse(false)));
  }

  /** Writes the record before the command that changed it is acknowledged. */
  private void put(ConfigRecord r) {
    store.put(ConfigRecord.STORE_KEY, r.encode());
    record = r;
  }

  /** toggleAlwaysUv: flips alwaysUv, durably. */
  public synchronized void toggleAlwaysUv() {
    put(record.withAlwaysUv(!record.alwaysUv()));
  }

  /** enableEnterpriseAttestation: ep true, durably (nothing to write when it already is). */
  public synchronized void enableEnterpriseAttestation() {
    if (!record.enterpriseAttestation()) {
      put(record.withEnterpriseAttestation(true));
    }
  }

  /** setMinPINLength's minPinLengthRPIDs: they replace the stored list, durably. */
  public synchronized void setMinPinLengthRpIds(List<String> rpIds) {
    put(record.withMinPinLengthRpIds(rpIds));
  }

  /** The stored minPinLengthRPIDs of a store (for tools and tests that hold no authenticator). */
  public static List<String> minPinLengthRpIds(Profile profile, DeviceStateStore store) {
    return stored(profile, store).minPinLengthRpIds();
  }

  /** The model has authenticatorConfig (option authnrCfg). */
  public static boolean supported(Profile profile) {
    return profile.management().config().isPresent();
  }

  /**
   * The alwaysUv option ID is present and true (CTAP 2.1 section 6.4): only on a model with
   * authenticatorConfig, where toggleAlwaysUv changes it.
   */
  public synchronized boolean alwaysUv() {
    return supported(profile) && record.alwaysUv();
  }

  /** Enterprise attestation is capable and enabled (getInfo ep true, makeCredential step 9.1). */
  public synchronized boolean enterpriseAttestationEnabled() {
    return profile.management().enterpriseAttestation().isPresent() && supported(profile) && record.enterpriseAttestation();
  }

  /** The enterprise attestation modes of the model, when it is capable. */
  public Optional<Profile.EnterpriseAttestation> enterpriseAttestation() {
    return profile.management().enterpriseAttestation();
  }

  /**
   * The RP IDs setMinPINLength's minPinLengthRPIDs named (CTAP 2.1 section 6.11.4): the RPs the
   * minPinLength extension (section 12.4) may report the current minimum PIN length to. Empty when
   * none were set or since authenticatorReset.
   */
  public synchronized List<String> minPinLengthRpIds() {
    return supported(profile) ? record.minPinLengthRpIds() : List.of();
  }

  /**
   * authenticatorReset: forget everything config set, so alwaysUv is back to the profile's value,
   * enterprise attestation is disabled and no RP ID is configured.
   */
  public synchronized void reset() {
    store.remove(ConfigRecord.STORE_KEY);
    record = stored(profile, store);
  }
}
