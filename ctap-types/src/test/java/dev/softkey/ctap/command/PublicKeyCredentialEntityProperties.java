package dev.softkey.ctap.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The shared entity records on their own: {@link PublicKeyCredentialRpEntity}, {@link
 * PublicKeyCredentialUserEntity} and {@link PublicKeyCredentialDescriptor} (WebAuthn L3 sections
 * 5.4.2, 5.4.3, 5.8.3), text-keyed maps. The records that hold them check them again in place.
 */
class PublicKeyCredentialEntityProperties {
  @Test
  void rpEntity_roundTrips() {
    WireCases.forAll(WireGenerators::rpEntity, (x, r) -> WireSchema.assertRoundTrip(x, PublicKeyCredentialRpEntity::fromCbor));
  }

  @Test
  void rpEntity_wrongTypeIsCborUnexpectedType() {
    WireCases.forAll(WireGenerators::rpEntity, (x, r) -> WireSchema.assertWrongTypeRejected(WireSchema.RP_ENTITY, x, PublicKeyCredentialRpEntity::fromCbor, r));
  }

  @Test
  void rpEntity_withoutIdIsMissingParameter() {
    WireCases.forAll(
        WireGenerators::rpEntity,
        (x, r) -> assertThat(WireSchema.assertMissingRejected(WireSchema.RP_ENTITY, x, PublicKeyCredentialRpEntity::fromCbor)).isEqualTo(1));
  }

  @Test
  void userEntity_roundTrips() {
    WireCases.forAll(WireGenerators::anyUserEntity, (x, r) -> WireSchema.assertRoundTrip(x, PublicKeyCredentialUserEntity::fromCbor));
  }

  @Test
  void userEntity_wrongTypeIsCborUnexpectedType() {
    WireCases.forAll(
        WireGenerators::anyUserEntity, (x, r) -> WireSchema.assertWrongTypeRejected(WireSchema.USER_ENTITY, x, PublicKeyCredentialUserEntity::fromCbor, r));
  }

  @Test
  void userEntity_withoutIdIsMissingParameter() {
    WireCases.forAll(
        WireGenerators::anyUserEntity,
        (x, r) -> assertThat(WireSchema.assertMissingRejected(WireSchema.USER_ENTITY, x, PublicKeyCredentialUserEntity::fromCbor)).isEqualTo(1));
  }

  @Test
  void descriptor_roundTrips() {
    WireCases.forAll(WireGenerators::descriptor, (x, r) -> WireSchema.assertRoundTrip(x, PublicKeyCredentialDescriptor::fromCbor));
  }

  @Test
  void descriptor_wrongTypeIsCborUnexpectedType() {
    WireCases.forAll(
        WireGenerators::descriptor, (x, r) -> WireSchema.assertWrongTypeRejected(WireSchema.DESCRIPTOR, x, PublicKeyCredentialDescriptor::fromCbor, r));
  }

  @Test
  void descriptor_withoutTypeOrIdIsMissingParameter() {
    WireCases.forAll(
        WireGenerators::descriptor,
        (x, r) -> assertThat(WireSchema.assertMissingRejected(WireSchema.DESCRIPTOR, x, PublicKeyCredentialDescriptor::fromCbor)).isEqualTo(2));
  }
}
