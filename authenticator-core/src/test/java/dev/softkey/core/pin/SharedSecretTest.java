package dev.softkey.core.pin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.core.presence.Presence;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.store.MemoryStore;
import dev.softkey.core.testing.MutableClock;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.ctap.pin.PinUvAuthProtocol;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** PinUvAuthState.sharedSecret: decapsulate of clientPIN's key agreement key, outside clientPIN. */
class SharedSecretTest {
  final ClientPin pin =
      new ClientPin(Profiles.defaultProfile(), new MemoryStore(), Presence.approve(), Optional.empty(), RandomSource.seeded(3), new MutableClock());

  CborMap authenticatorKey(int protocol) {
    return new CborMap(pin.clientPin(dev.softkey.ctap.command.ClientPinRequest.fromCbor(new CborMap(Map.of(1L, (long) protocol, 2L, 2L))), PinTestSupport.transport("usb")).toCbor())
        .map(1L);
  }

  @ParameterizedTest(name = "protocol {0}")
  @ValueSource(ints = {1, 2})
  void isThePlatformsSharedSecret_forTheKeyOfGetKeyAgreement(int protocol) {
    PinUvAuthProtocol platform = PinUvAuthProtocol.of(protocol, RandomSource.seeded(8));
    PinUvAuthProtocol.Encapsulation e = platform.encapsulate(authenticatorKey(protocol));
    SharedSecret s = pin.sharedSecret(protocol, new CborMap(e.keyAgreement()));
    assertThat(s.secret()).isEqualTo(e.sharedSecret());
    assertThat(s.secret().length()).isEqualTo(protocol == 1 ? 32 : 64);
    Bytes message = Bytes.wrap(new byte[32]);
    assertThat(platform.decrypt(e.sharedSecret(), s.encrypt(message))).contains(message);
    assertThat(s.verify(message, platform.authenticate(e.sharedSecret(), message.unsafeArray()))).isTrue();
  }

  @Test
  void unsupportedProtocol_isInvalidParameter() {
    PinUvAuthProtocol.Encapsulation e = PinUvAuthProtocol.of(2, RandomSource.seeded(8)).encapsulate(authenticatorKey(2));
    assertThatThrownBy(() -> pin.sharedSecret(3, new CborMap(e.keyAgreement())))
        .isInstanceOfSatisfying(CtapException.class, x -> assertThat(x.status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER));
  }

  @Test
  void aKeyOffTheCurve_isInvalidParameter() {
    Map<Object, Object> k = new LinkedHashMap<>(PinUvAuthProtocol.of(2, RandomSource.seeded(8)).encapsulate(authenticatorKey(2)).keyAgreement());
    k.put(-3L, Bytes.wrap(new byte[32]));
    assertThatThrownBy(() -> pin.sharedSecret(2, new CborMap(k)))
        .isInstanceOfSatisfying(CtapException.class, x -> assertThat(x.status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_PARAMETER));
  }

  @Test
  void toString_hidesTheSecret() {
    PinUvAuthProtocol.Encapsulation e = PinUvAuthProtocol.of(2, RandomSource.seeded(8)).encapsulate(authenticatorKey(2));
    SharedSecret s = pin.sharedSecret(2, new CborMap(e.keyAgreement()));
    assertThat(s.toString()).isEqualTo("SharedSecret[protocol 2]").doesNotContain(s.secret().hex());
  }
}
