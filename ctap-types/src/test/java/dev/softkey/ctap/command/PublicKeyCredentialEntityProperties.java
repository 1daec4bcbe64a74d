package dev.softkey.ctap.command;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The shared entity records on their own: {@link PublicKeyCredentialRpEntity}, {@link
 * PublicKeyCredentialUserEntity} and {@link PublicKeyCredentialDescriptor} (WebAuthn L3 sections
 * 5.4.2, 5.4.3, 5.8.3), text-keyed maps. The records that hold them check them again in place.
 */
class PublicKeyCredentialEntityProperties {
  @Provide
  static Arbitrary<PublicKeyCredentialRpEntity> rps() {
    return WireArbitraries.rpEntity();
  }

  @Provide
  static Arbitrary<PublicKeyCredentialUserEntity> users() {
    return WireArbitraries.userEntity();
  }

  @Provide
  static Arbitrary<PublicKeyCredentialDescriptor> descriptors() {
    return WireArbitraries.descriptor();
  }

  @Property
  void rpEntity_roundTrips(@ForAll("rps") PublicKeyCredentialRpEntity x) {
    WireSchema.assertRoundTrip(x, PublicKeyCredentialRpEntity::fromCbor);
  }

  @Property
  void rpEntity_wrongTypeIsCborUnexpectedType(@ForAll("rps") PublicKeyCredentialRpEntity x, @ForAll int pick) {
    WireSchema.assertWrongTypeRejected(WireSchema.RP_ENTITY, x, PublicKeyCredentialRpEntity::fromCbor, pick);
  }

  @Property
  void rpEntity_withoutIdIsMissingParameter(@ForAll("rps") PublicKeyCredentialRpEntity x, @ForAll int pick) {
    WireSchema.assertMissingRejected(WireSchema.RP_ENTITY, x, PublicKeyCredentialRpEntity::fromCbor, pick);
  }

  @Property
  void userEntity_roundTrips(@ForAll("users") PublicKeyCredentialUserEntity x) {
    WireSchema.assertRoundTrip(x, PublicKeyCredentialUserEntity::fromCbor);
  }

  @Property
  void userEntity_wrongTypeIsCborUnexpectedType(@ForAll("users") PublicKeyCredentialUserEntity x, @ForAll int pick) {
    WireSchema.assertWrongTypeRejected(WireSchema.USER_ENTITY, x, PublicKeyCredentialUserEntity::fromCbor, pick);
  }

  @Property
  void userEntity_withoutIdIsMissingParameter(@ForAll("users") PublicKeyCredentialUserEntity x, @ForAll int pick) {
    WireSchema.assertMissingRejected(WireSchema.USER_ENTITY, x, PublicKeyCredentialUserEntity::fromCbor, pick);
  }

  @Property
  void descriptor_roundTrips(@ForAll("descriptors") PublicKeyCredentialDescriptor x) {
    WireSchema.assertRoundTrip(x, PublicKeyCredentialDescriptor::fromCbor);
  }

  @Property
  void descriptor_wrongTypeIsCborUnexpectedType(@ForAll("descriptors") PublicKeyCredentialDescriptor x, @ForAll int pick) {
    WireSchema.assertWrongTypeRejected(WireSchema.DESCRIPTOR, x, PublicKeyCredentialDescriptor::fromCbor, pick);
  }

  @Property
  void descriptor_withoutTypeOrIdIsMissingParameter(@ForAll("descriptors") PublicKeyCredentialDescriptor x, @ForAll int pick) {
    WireSchema.assertMissingRejected(WireSchema.DESCRIPTOR, x, PublicKeyCredentialDescriptor::fromCbor, pick);
  }
}
