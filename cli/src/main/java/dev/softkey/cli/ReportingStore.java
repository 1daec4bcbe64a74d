package dev.softkey.cli;

import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.store.CredentialStore;
import dev.softkey.core.store.DeviceStateStore;
import dev.softkey.core.store.FileStore;
import dev.softkey.core.store.StoreException;
import dev.softkey.core.store.StoredCredential;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@link FileStore} that remembers why its last write failed. The authenticator turns every
 * exception inside a command into CTAP1_ERR_OTHER (a device has nothing else to say), so for the
 * CLI, which runs the authenticator in-process, the transport asks this store afterwards and
 * reports the real reason ("cannot write store DIR: Permission denied") instead.
 *
 * <p>Failures are rethrown as {@link StoreFailure}, so callers outside the authenticator (the
 * attestation CA of {@code ca export}) get the same line. When nobody reports it (the engine
 * behind {@code serve} or {@code hybrid scan}) the failure is logged here, with its reason.
 */
final class ReportingStore implements CredentialStore, DeviceStateStore, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ReportingStore.class.getName());

  /** Set while the CLI's own transport runs a request: it reports failures itself. */
  private static final ThreadLocal<Boolean> CALLER_REPORTS = ThreadLocal.withInitial(() -> false);

  private final FileStore store;
  private StoreFailure lastFailure;

  ReportingStore(FileStore store) {
    this.store = store;
  }

  /** The write failure since the last call, if any; clears it. */
  synchronized Optional<StoreFailure> takeFailure() {
    Optional<StoreFailure> f = Optional.ofNullable(lastFailure);
    lastFailure = null;
    return f;
  }

  /** Runs {@code request} on this thread as a caller that reports store failures itself. */
  static <T> T reportedByCaller(Supplier<T> request) {
    boolean outer = CALLER_REPORTS.get();
    CALLER_REPORTS.set(true);
    try {
      return request.get();
    } finally {
      CALLER_REPORTS.set(outer);
    }
  }

  /** Whether this thread's caller reports store failures (so the engine's own log line is noise). */
  static boolean callerReports() {
    return CALLER_REPORTS.get();
  }

  private <T> T writing(Supplier<T> write) {
    try {
      return write.get();
    } catch (StoreException e) {
      StoreFailure f = StoreFailure.writing(store.directory(), e);
      synchronized (this) {
        lastFailure = f;
      }
      if (!callerReports()) {
        LOG.log(System.Logger.Level.ERROR, "{0}", f.getMessage());
      }
      throw f;
    }
  }

  private void writing(Runnable write) {
    writing(() -> {
      write.run();
      return null;
    });
  }

  @Override
  public void put(StoredCredential credential) {
    writing(() -> store.put(credential));
  }

  @Override
  public void update(StoredCredential credential) {
    writing(() -> store.update(credential));
  }

  @Override
  public Optional<StoredCredential> find(Bytes credentialId) {
    return store.find(credentialId);
  }

  @Override
  public List<StoredCredential> findByRpId(String rpId) {
    return store.findByRpId(rpId);
  }

  @Override
  public List<StoredCredential> all() {
    return store.all();
  }

  @Override
  public boolean delete(Bytes credentialId) {
    return writing(() -> store.delete(credentialId));
  }

  @Override
  public void clear() {
    writing(store::clear);
  }

  @Override
  public int count() {
    return store.count();
  }

  @Override
  public Optional<Bytes> get(String key) {
    return store.get(key);
  }

  @Override
  public void put(String key, Bytes value) {
    writing(() -> store.put(key, value));
  }

  @Override
  public void remove(String key) {
    writing(() -> store.remove(key));
  }

  @Override
  public void close() {
    store.close();
  }

  @Override
  public String toString() {
    return store.toString();
  }
}
