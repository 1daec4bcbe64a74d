package dev.softkey.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Each CTAP2 command's request decoding and handling on a fresh engine per input (the real engine,
 * a memory store, one discoverable credential). One target per command: the input is the CBOR
 * parameters and the target puts the command byte in front; {@link #anyCommand} takes the command
 * byte from the input. Seeds: python-fido2's requests and requests written by {@link WriteSeeds}.
 *
 * <p>Invariants, after every input: the status is one CTAP 2.1 defines, and not CTAP1_ERR_OTHER
 * (what the engine answers for an unexpected exception); a CTAP2_OK body is canonical CBOR (a map);
 * nothing was written to the store by a refused request (PIN and UV retry counters aside, which
 * the spec decrements before it refuses); nothing was logged as an internal error; and the device
 * still answers getInfo with CTAP2_OK.
 */
class CtapCommandFuzzTest {
  /** Refusals after which the spec has the device persist a decremented retry counter. */
  static final Set<CtapStatus> REFUSALS_THAT_WRITE =
      Set.of(
          CtapStatus.CTAP2_ERR_PIN_INVALID,
          CtapStatus.CTAP2_ERR_PIN_BLOCKED,
          CtapStatus.CTAP2_ERR_PIN_AUTH_BLOCKED,
          CtapStatus.CTAP2_ERR_UV_INVALID,
          CtapStatus.CTAP2_ERR_UV_BLOCKED);

  @FuzzTest
  void makeCredential(byte[] cbor) {
    check("generic", CtapCommand.MAKE_CREDENTIAL, cbor);
  }

  @FuzzTest
  void getAssertion(byte[] cbor) {
    check("generic", CtapCommand.GET_ASSERTION, cbor);
  }

  @FuzzTest
  void clientPin(byte[] cbor) {
    check("generic", CtapCommand.CLIENT_PIN, cbor);
  }

  @FuzzTest
  void credentialManagement(byte[] cbor) {
    check("generic", CtapCommand.CREDENTIAL_MANAGEMENT, cbor);
  }

  @FuzzTest
  void largeBlobs(byte[] cbor) {
    check("generic", CtapCommand.LARGE_BLOBS, cbor);
  }

  @FuzzTest
  void config(byte[] cbor) {
    check("generic", CtapCommand.CONFIG, cbor);
  }

  @FuzzTest
  void bioEnrollment(byte[] cbor) {
    check("bio", CtapCommand.BIO_ENROLLMENT, cbor);
  }

  /** Byte 0 is the command (any byte, registered or not), the rest its parameters. */
  @FuzzTest
  void anyCommand(byte[] request) {
    if (request.length == 0) {
      return;
    }
    check("generic", request);
  }

  static void check(String profile, CtapCommand cmd, byte[] cbor) {
    byte[] request = new byte[cbor.length + 1];
    request[0] = (byte) cmd.code();
    System.arraycopy(cbor, 0, request, 1, cbor.length);
    check(profile, request);
  }

  static void check(String profile, byte[] request) {
    FuzzDevices.Device d = FuzzDevices.fresh(profile);
    SnapshotStore.Snapshot before = d.store().snapshot();
    byte[] response;
    try (InternalErrors errors = InternalErrors.watch()) {
      response = d.process(request);
      errors.assertNone();
    }
    assertThat(response).as("response").isNotEmpty();
    Optional<CtapStatus> status = CtapStatus.fromCode(response[0] & 0xFF);
    assertThat(status).as("status 0x%02x defined by CTAP", response[0] & 0xFF).isPresent();
    assertThat(status.get()).as("internal error").isNotEqualTo(CtapStatus.CTAP1_ERR_OTHER);
    if (status.get() == CtapStatus.CTAP2_OK) {
      if (response.length > 1) {
        byte[] body = Arrays.copyOfRange(response, 1, response.length);
        Object decoded = CborDecoder.decode(body);
        assertThat(decoded).as("response body").isInstanceOf(CborMap.class);
        assertThat(CborEncoder.encode(decoded)).as("canonical response").isEqualTo(body);
      }
    } else {
      assertThat(response).as("a refusal is the status byte alone").hasSize(1);
      if (!REFUSALS_THAT_WRITE.contains(status.get())) {
        assertThat(d.store().snapshot()).as("store after refused request (%s)", status.get()).isEqualTo(before);
      }
    }
    byte[] info = d.process(new byte[] {(byte) CtapCommand.GET_INFO.code()});
    assertThat(info[0]).as("getInfo still answers").isEqualTo((byte) 0);
  }
}
