package dev.softkey.control;

import dev.softkey.core.Authenticator;
import dev.softkey.core.CtapDevice;
import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.core.fault.FaultPlan;
import dev.softkey.core.presence.SteerablePresence;
import java.util.Objects;
import java.util.Optional;

/**
 * One authenticator the control API steers, and the parts it steers it through.
 *
 * @param engine the CTAP engine (its {@code control()} is what the credential and PIN routes use)
 * @param device the chain every transport uses: the {@link CtapTap} over the fault plan over the
 *     engine ({@link ControlServer#wrap} builds it)
 * @param faults the fault plan in {@code device}, what {@code .../faults} edits
 * @param presence the engine's presence, what {@code .../presence} steers
 * @param tap the tap at the head of {@code device}, the source of the ctapRequest/ctapResponse
 *     events
 * @param transport the WebDriver transport it presents (usb, nfc, ble, hybrid, internal)
 * @param endpoint where a transport serves it besides the API (udp://127.0.0.1:8111, a hidraw path)
 * @param resources closed when the authenticator is removed or the server closes (back-ends,
 *     stores)
 * @param attestationCa the CA its batch certificates come from, for {@code GET .../attestation/root}
 *     (softkey's addition to the shared contract's record)
 */
public record Hosted(
    Authenticator engine,
    CtapDevice device,
    FaultPlan faults,
    SteerablePresence presence,
    CtapTap tap,
    String transport,
    Optional<String> endpoint,
    AutoCloseable resources,
    Optional<AttestationCa> attestationCa) {

  public Hosted {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(faults, "faults");
    Objects.requireNonNull(presence, "presence");
    Objects.requireNonNull(tap, "tap");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(resources, "resources");
    Objects.requireNonNull(attestationCa, "attestationCa");
  }

  /** The shared contract's record: no attestation CA known ({@code .../attestation/root} is refused). */
  public Hosted(Authenticator engine, CtapDevice device, FaultPlan faults, SteerablePresence presence, CtapTap tap,
      String transport, Optional<String> endpoint, AutoCloseable resources) {
    this(engine, device, faults, presence, tap, transport, endpoint, resources, Optional.empty());
  }
}
