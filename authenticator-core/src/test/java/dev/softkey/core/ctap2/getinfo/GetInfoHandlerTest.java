package dev.softkey.core.ctap2.getinfo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.presence.Presence;
import dev.softkey.core.profile.CtapVersion;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.profile.Quirks.GetInfoMember;
import dev.softkey.core.testing.TestDevices;
import dev.softkey.core.testing.TestDevices.Device;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborMap;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** authenticatorGetInfo (CTAP 2.1 section 6.4) under the profile's quirks.getInfoOmits. */
class GetInfoHandlerTest {
  static CborMap getInfo(Profile p) {
    Device d = TestDevices.build(p, Presence.approve());
    return d.client().send(CtapCommand.GET_INFO, null).ok();
  }

  static Set<Long> keys(CborMap info) {
    Set<Long> out = new TreeSet<>();
    for (Object k : info.asMap().keySet()) {
      out.add((Long) k);
    }
    return out;
  }

  @Nested
  class GetInfoOmitsQuirk {
    @ParameterizedTest
    @ValueSource(strings = {"generic", "yubikey-5", "bio"})
    void everyBuiltInProfile_reportsEveryMember_asBeforeTheQuirk(String id) {
      assertThat(keys(getInfo(Profiles.builtIn(id).orElseThrow()))).contains(0x05L, 0x07L, 0x08L, 0x09L, 0x0AL);
    }

    @ParameterizedTest
    @EnumSource(GetInfoMember.class)
    void anOmittedMember_isNotReported_andTheOthersAre(GetInfoMember member) {
      // bio reports every member the quirk can omit (a FIDO_2_1 model with built-in UV and rk).
      Profile p = Profiles.builtIn("bio").orElseThrow().toBuilder().getInfoOmits(Set.of(member)).build();
      Set<Long> keys = keys(getInfo(p));
      assertThat(keys).doesNotContain((long) member.key());
      for (GetInfoMember other : EnumSet.complementOf(EnumSet.of(member))) {
        assertThat(keys).contains((long) other.key());
      }
    }

    @Test
    void aCtap20EraModel_reportsWhatTheYubiKey51Reports() {
      // YubiKey 5 firmware 5.1 (MDS3 authenticatorGetInfo): versions, extensions, aaguid, options,
      // maxMsgSize, pinUvAuthProtocols; its extensions include credProtect and hmac-secret.
      Profile p =
          Profiles.builtIn("yubikey-5").orElseThrow().toBuilder()
              .versions(CtapVersion.U2F_V2, CtapVersion.FIDO_2_0)
              .pinUvAuthProtocols(List.of(1))
              .firmwareVersion(OptionalInt.empty())
              .getInfoOmits(GetInfoMember.ctap20Era())
              .getInfoAdds(Set.of())
              .credentialManagement(false)
              .build()
              .validate();
      CborMap info = getInfo(p);
      assertThat(keys(info)).containsExactly(0x01L, 0x02L, 0x03L, 0x04L, 0x05L, 0x06L);
      assertThat(info.list(0x02)).contains("credProtect");
      assertThat(info.list(0x01)).containsExactly("U2F_V2", "FIDO_2_0");
      assertThat(info.list(0x02)).contains("hmac-secret");
      assertThat(info.longValue(0x05)).isEqualTo(1200);
      assertThat(info.list(0x06)).containsExactly(1L);
    }

    @Test
    void anOmittedMaxMsgSize_stillLimitsRequests() {
      Profile p = Profiles.defaultProfile().toBuilder().getInfoOmits(Set.of(GetInfoMember.MAX_MSG_SIZE)).build();
      Device d = TestDevices.build(p, Presence.approve());
      byte[] big = new byte[p.limits().maxMsgSize() + 1];
      big[0] = 0x01;
      assertThat(d.client().sendRaw(big).status()).isEqualTo(CtapStatus.CTAP1_ERR_INVALID_LENGTH);
    }
  }
}
