package dev.softkey.core.control;

/**
 * The clientPIN state as the control API reports it.
 *
 * @param isSet whether a PIN is set
 * @param retries pinRetries, the attempts left
 * @param forceChange getInfo forcePINChange
 */
public record PinStatus(boolean isSet, int retries, boolean forceChange) {}
