package dev.softkey.core.ctap2.getassertion;

import static dev.softkey.core.testing.CtapTestClient.getAssertion;
import static dev.softkey.core.testing.CtapTestClient.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.presence.UserPresence;
import dev.softkey.core.presence.UserRequest;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.testing.TestDevices;
import dev.softkey.core.testing.TestDevices.Device;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** getAssertion where the profile's quirks decide (Quirks). */
class GetAssertionQuirksTest {
  /** Every touch the device asks for; answers {@code answer}. */
  static final class CountingPresence implements UserPresence {
    final List<UserRequest> asked = new ArrayList<>();
    final Result answer;

    CountingPresence(Result answer) {
      this.answer = answer;
    }

    @Override
    public Result requestPresence(UserRequest request, dev.softkey.core.OperationContext ctx) {
      asked.add(request);
      return answer;
    }
  }

  /** quirks.noCredentialsAfterTouch, when step 7 locates no credential. */
  @Nested
  class NoCredentialsAfterTouch {
    final CountingPresence presence = new CountingPresence(UserPresence.Result.APPROVED);

    Device device(boolean touchFirst) {
      Profile p = Profiles.defaultProfile().toBuilder().noCredentialsAfterTouch(touchFirst).build();
      return TestDevices.build(p, presence);
    }

    @ParameterizedTest
    @ValueSource(strings = {"generic", "yubikey-5", "bio"})
    void everyBuiltInProfile_waitsForATouch_asBeforeTheQuirk(String id) {
      Device d = TestDevices.build(Profiles.builtIn(id).orElseThrow(), presence);
      assertThat(d.client().send(CtapCommand.GET_ASSERTION, getAssertion("example.com", null, null)).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
      assertThat(presence.asked).extracting(UserRequest::kind).containsExactly(UserRequest.Kind.GET_ASSERTION);
    }

    @Test
    void step7_touchFirst_noDiscoverableCredential_answersNoCredentialsAfterATouch() {
      Device d = device(true);
      assertThat(d.client().send(CtapCommand.GET_ASSERTION, getAssertion("example.com", null, null)).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
      assertThat(presence.asked).hasSize(1);
    }

    @Test
    void step7_touchFirst_cancelledWhileWaiting_answersKeepaliveCancel() {
      CountingPresence cancelling = new CountingPresence(UserPresence.Result.CANCELLED);
      Device d = TestDevices.build(Profiles.defaultProfile().toBuilder().noCredentialsAfterTouch(true).build(), cancelling);
      assertThat(d.client().send(CtapCommand.GET_ASSERTION, getAssertion("example.com", null, null)).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_KEEPALIVE_CANCEL);
    }

    @Test
    void step7_atOnce_noDiscoverableCredential_answersNoCredentialsWithoutATouch() {
      Device d = device(false);
      assertThat(d.client().send(CtapCommand.GET_ASSERTION, getAssertion("example.com", null, null)).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
      assertThat(presence.asked).isEmpty();
    }

    @Test
    void step7_atOnce_unknownAllowListCredential_answersNoCredentialsWithoutATouch() {
      Device d = device(false);
      Bytes unknown = Bytes.wrap(new byte[64]);
      assertThat(d.client().send(CtapCommand.GET_ASSERTION, getAssertion("example.com", List.of(unknown), null)).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
      assertThat(presence.asked).isEmpty();
    }

    @Test
    void step7_touchFirst_butUpFalse_answersAtOnce() {
      Device d = device(true);
      assertThat(d.client().send(CtapCommand.GET_ASSERTION, getAssertion("example.com", null, map("up", false))).status())
          .isEqualTo(CtapStatus.CTAP2_ERR_NO_CREDENTIALS);
      assertThat(presence.asked).isEmpty();
    }
  }
}
