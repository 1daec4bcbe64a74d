/**
 * Fault injection in front of the engine: {@link dev.softkey.core.fault.FaultPlan} (a {@link
 * dev.softkey.core.ForwardingCtapDevice}) applies {@link dev.softkey.core.fault.FaultRule}s to CTAP2
 * requests: a status instead of the engine's answer, a delay with keepalives, a dropped reply
 * ({@link dev.softkey.core.CtapDevice#NO_REPLY}), once, always or every n-th time, for one command
 * or all.
 *
 * <p>Does not own: how a transport stays silent on NO_REPLY (each transport does that), U2F faults,
 * or the HTTP and CLI surfaces that fill a plan.
 */
package dev.softkey.core.fault;
