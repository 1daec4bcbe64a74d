/**
 * The emulated device model: {@link dev.softkey.core.profile.Profile} (identity, getInfo model,
 * limits, PIN policy, attestation, credential flags, {@link dev.softkey.core.profile.Quirks} and
 * USB identity), the closed value sets it uses as enums, and {@link
 * dev.softkey.core.profile.Profiles}: the built-in profiles (JSON resources beside this package),
 * loading profile files with messages that name the file and the field, and writing a profile back
 * as JSON. The file format is docs/profile-schema.md (and profile.schema.json).
 *
 * <p>Does not own: what the handlers do with the model (getInfo is computed in {@code
 * core.ctap2.getinfo}; each quirk names the one place that reads it), or any live state.
 */
package dev.softkey.core.profile;
