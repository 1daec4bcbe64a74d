package dev.softkey.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.core.profile.Profile.ExtensionSupport;
import dev.softkey.core.profile.Profile.LargeBlobs;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The {@code extensions} section's invariants (docs/profile-schema.md). */
class ProfileExtensionsTest {
  private static final Profile GENERIC = Profiles.builtIn("generic").orElseThrow();

  private static Profile.Builder generic() {
    return GENERIC.toBuilder();
  }

  @Test
  void builtInProfiles_listTheirModelsExtensions() {
    assertThat(GENERIC.extensions().identifiers()).containsExactlyElementsOf(ExtensionSupport.KNOWN);
    assertThat(Profiles.builtIn("yubikey-5").orElseThrow().extensions().identifiers()).containsExactly("credProtect", "hmac-secret");
    // YubiKey Bio Series' getInfo in FIDO MDS3 (shared/data/mds3-getinfo-excerpt.json).
    Profile bio = Profiles.builtIn("bio").orElseThrow();
    assertThat(bio.extensions().identifiers()).containsExactly("credProtect", "hmac-secret", "largeBlobKey", "credBlob", "minPinLength");
    assertThat(bio.extensions().maxCredBlobLength()).hasValue(32);
    assertThat(bio.extensions().largeBlobs()).contains(new LargeBlobs(1024));
  }

  @Test
  void anExtensionSoftkeyDoesNotBuild_isRejected() {
    assertThatThrownBy(() -> generic().extensionIdentifiers(List.of("credProtect", "prf")).build().validate())
        .hasMessageContaining("softkey does not build extension \"prf\"");
  }

  @Test
  void aRepeatedExtension_isRejected() {
    assertThatThrownBy(() -> generic().extensionIdentifiers(List.of("credProtect", "credProtect")).build().validate())
        .hasMessageContaining("must not repeat an extension");
  }

  @Test
  void credBlob_needsMaxCredBlobLength_ofAtLeast32() {
    assertThatThrownBy(() -> generic().maxCredBlobLength(OptionalInt.empty()).build().validate())
        .hasMessageContaining("maxCredBlobLength must be present exactly when credBlob is listed");
    assertThatThrownBy(() -> generic().maxCredBlobLength(OptionalInt.of(31)).build().validate())
        .hasMessageContaining("maxCredBlobLength must be 32..1024");
  }

  @Test
  void largeBlobKey_andLargeBlobs_comeTogether_withAtLeast1024Bytes() {
    assertThatThrownBy(() -> generic().largeBlobs(Optional.empty()).build().validate())
        .hasMessageContaining("extensions.largeBlobs must be present exactly when largeBlobKey is listed");
    assertThatThrownBy(() -> generic().largeBlobs(Optional.of(new LargeBlobs(1023))).build().validate())
        .hasMessageContaining("maxSerializedLargeBlobArray must be 1024..1048576");
    assertThatThrownBy(
            () -> generic().versions(CtapVersion.U2F_V2, CtapVersion.FIDO_2_0, CtapVersion.FIDO_2_1_PRE).credentialManagement(true)
                .config(Optional.empty()).extensionIdentifiers(List.of("largeBlobKey")).maxCredBlobLength(OptionalInt.empty())
                .build().validate())
        .hasMessageContaining("extensions.largeBlobs (authenticatorLargeBlobs) needs FIDO_2_1");
  }

  @Test
  void hmacSecretMc_needsHmacSecret() {
    assertThatThrownBy(() -> generic().extensionIdentifiers(List.of("hmac-secret-mc")).maxCredBlobLength(OptionalInt.empty())
            .largeBlobs(Optional.empty()).build().validate())
        .hasMessageContaining("hmac-secret-mc needs hmac-secret");
  }

  @Test
  void minPinLength_needsSetMinPinLength() {
    assertThatThrownBy(() -> generic().config(Optional.empty()).build().validate())
        .hasMessageContaining("extension minPinLength needs management.config.setMinPINLength");
  }

  @Test
  void credProtectDefault_isALevel_andAboveOneNeedsCredProtect() {
    assertThatThrownBy(() -> generic().credProtectDefault(4).build().validate()).hasMessageContaining("credProtectDefault must be 1..3");
    assertThatThrownBy(() -> generic().extensionIdentifiers(List.of("hmac-secret")).credProtectDefault(2)
            .maxCredBlobLength(OptionalInt.empty()).largeBlobs(Optional.empty()).build().validate())
        .hasMessageContaining("credProtectDefault above 1 needs credProtect");
    assertThat(generic().credProtectDefault(2).build().validate().extensions().credProtectDefault()).isEqualTo(2);
  }
}
