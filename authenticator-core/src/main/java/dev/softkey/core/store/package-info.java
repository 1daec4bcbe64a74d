/**
 * Persistent state of the authenticator: the {@link dev.softkey.core.store.CredentialStore} and
 * {@link dev.softkey.core.store.DeviceStateStore} SPIs, the volatile {@link
 * dev.softkey.core.store.MemoryStore} and the durable, optionally passphrase-encrypted {@link
 * dev.softkey.core.store.FileStore}.
 *
 * <p>Owns: storage formats (versioned, append-only key registries), atomic writes, file locking and
 * at-rest encryption. Does not own: what a state record means (each subsystem encodes its own
 * records), credential ID sealing ({@code core.crypto}), or choosing where a store lives (the CLI
 * decides, usually with {@link dev.softkey.core.store.FileStore#defaultDirectory()}). This is the
 * only package of the core that touches the file system.
 */
package dev.softkey.core.store;
