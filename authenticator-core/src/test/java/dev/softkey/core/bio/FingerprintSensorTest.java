package dev.softkey.core.bio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.core.OperationContext;
import dev.softkey.core.bio.FingerprintSensor.Match;
import dev.softkey.core.presence.UserRequest;
import dev.softkey.core.profile.FingerprintKind;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.store.MemoryStore;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FingerprintSensorTest {
  private static final Profile.Fingerprint TWO = new Profile.Fingerprint(FingerprintKind.TOUCH, 4, 15, 2);
  private static final Bytes ID_1 = Bytes.of(new byte[] {1});
  private static final Bytes ID_2 = Bytes.of(new byte[] {2});
  private static final UserRequest ASK = UserRequest.of(UserRequest.Kind.PIN_UV_AUTH_TOKEN);

  private final MemoryStore store = new MemoryStore();

  private FingerprintSensor sensor(SimulatedFinger finger, List<Template> preEnrolled) {
    return new FingerprintSensor(TWO, store, finger, preEnrolled);
  }

  @Nested
  class Templates {
    @Test
    void aNewDevice_getsThePreEnrolledTemplates_aStoredRecordWins() {
      FingerprintSensor s = sensor(Fingers.enrolled(), List.of(FingerprintSensor.defaultTemplate()));
      assertThat(s.templates()).containsExactly(FingerprintSensor.defaultTemplate());
      s.remove(ID_1);
      assertThat(sensor(Fingers.enrolled(), List.of(FingerprintSensor.defaultTemplate())).templates()).isEmpty();
    }

    @Test
    void idsAreTheSmallestFree_andAFullSensorIsFpDatabaseFull() {
      FingerprintSensor s = sensor(Fingers.enrolled(), List.of());
      s.add(new Template(s.nextTemplateId(), Optional.empty()));
      assertThat(s.nextTemplateId()).isEqualTo(ID_2);
      s.add(new Template(ID_2, Optional.of("b")));
      assertThat(s.full()).isTrue();
      assertThatThrownBy(s::nextTemplateId)
          .isInstanceOfSatisfying(CtapException.class, e -> assertThat(e.status()).isEqualTo(CtapStatus.CTAP2_ERR_FP_DATABASE_FULL));
    }

    @Test
    void renameAndRemove_ofAnUnknownId_changeNothing() {
      FingerprintSensor s = sensor(Fingers.enrolled(), List.of(FingerprintSensor.defaultTemplate()));
      assertThat(s.rename(ID_2, "x")).isFalse();
      assertThat(s.remove(ID_2)).isFalse();
      assertThat(s.rename(ID_1, "thumb")).isTrue();
      assertThat(sensor(Fingers.enrolled(), List.of()).template(ID_1)).contains(new Template(ID_1, Optional.of("thumb")));
    }

    @Test
    void reset_leavesAnEmptyRecord_notAMissingOne() {
      FingerprintSensor s = sensor(Fingers.enrolled(), List.of(FingerprintSensor.defaultTemplate()));
      s.reset();
      assertThat(store.get(TemplatesRecord.STORE_KEY)).isPresent();
      assertThat(sensor(Fingers.enrolled(), List.of(FingerprintSensor.defaultTemplate())).hasTemplates()).isFalse();
    }

    @Test
    void aCorruptRecord_isRefused() {
      store.put(TemplatesRecord.STORE_KEY, Bytes.of(new byte[] {(byte) 0xA1, 0x01, 0x02}));
      assertThatThrownBy(() -> sensor(Fingers.enrolled(), List.of())).isInstanceOf(IllegalStateException.class);
    }
  }

  @Nested
  class Verify {
    @Test
    void anEnrolledFinger_matchesWhileAnyTemplateIsEnrolled() {
      FingerprintSensor s = sensor(Fingers.enrolled(), List.of(FingerprintSensor.defaultTemplate()));
      assertThat(s.verify(ASK, OperationContext.INTERNAL)).isEqualTo(Match.VERIFIED);
      s.remove(ID_1);
      assertThat(s.verify(ASK, OperationContext.INTERNAL)).isEqualTo(Match.MISMATCH);
    }

    @Test
    void theFingerOfATemplate_matchesOnlyThatTemplate() {
      FingerprintSensor s = sensor(Fingers.of(ID_2), List.of(FingerprintSensor.defaultTemplate()));
      assertThat(s.verify(ASK, OperationContext.INTERNAL)).isEqualTo(Match.MISMATCH);
      s.add(new Template(ID_2, Optional.empty()));
      assertThat(s.verify(ASK, OperationContext.INTERNAL)).isEqualTo(Match.VERIFIED);
    }

    @Test
    void unknownNoFingerAndCancel_mapToMismatchTimeoutAndCancelled() {
      List<Template> one = List.of(FingerprintSensor.defaultTemplate());
      assertThat(sensor(Fingers.unknown(), one).verify(ASK, OperationContext.INTERNAL)).isEqualTo(Match.MISMATCH);
      assertThat(sensor(Fingers.of(new SimulatedFinger.NoFinger()), one).verify(ASK, OperationContext.INTERNAL)).isEqualTo(Match.TIMEOUT);
      assertThat(sensor(Fingers.of(new SimulatedFinger.Cancelled()), one).verify(ASK, OperationContext.INTERNAL))
          .isEqualTo(Match.CANCELLED);
    }
  }
}
