package dev.softkey.cli;

import dev.softkey.core.store.DeviceStateStore;
import dev.softkey.core.store.FileStore;
import dev.softkey.core.store.StoreException;
import dev.softkey.ctap.model.Bytes;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The installation's attestation CA store ({@code --ca DIR}): a {@link FileStore} in the directory,
 * opened for each call and closed before it returns, so that the CA is never held by one process
 * (a long {@code softkey serve} does not lock out another command) and {@link #update} is atomic
 * across processes: it reads, computes and writes under the store's lock file. Two processes that
 * start at once on a new directory therefore end up with one root, the first writer's.
 *
 * <p>The CA store is not encrypted ({@code --passphrase-env} is the device store's): its keys are
 * softkey's test attestation keys, owner-only on disk like any store. A failure is thrown as a
 * {@link StoreFailure} naming {@code --ca}, and remembered for {@link #takeFailure()}: inside the
 * authenticator it becomes CTAP1_ERR_OTHER, and the CLI reports the reason instead.
 */
final class CaStore implements DeviceStateStore {
  private final Path dir;
  private Optional<StoreFailure> failure = Optional.empty();

  CaStore(Path dir) {
    this.dir = Objects.requireNonNull(dir);
  }

  Path directory() {
    return dir;
  }

  @Override
  public Optional<Bytes> get(String key) {
    return withStore(s -> s.get(key));
  }

  @Override
  public void put(String key, Bytes value) {
    withStore(s -> {
      s.put(key, value);
      return null;
    });
  }

  @Override
  public void remove(String key) {
    withStore(s -> {
      s.remove(key);
      return null;
    });
  }

  @Override
  public Bytes update(String key, Function<Optional<Bytes>, Bytes> f) {
    return withStore(s -> s.update(key, f));
  }

  /** The failure of the last call that failed since the last call of this method, if any. */
  synchronized Optional<StoreFailure> takeFailure() {
    Optional<StoreFailure> f = failure;
    failure = Optional.empty();
    return f;
  }

  private synchronized <T> T withStore(Function<FileStore, T> action) {
    FileStore store;
    try {
      store = FileStore.open(dir, Optional.empty());
    } catch (StoreException e) {
      throw fail(StoreFailure.openingCa(dir, e));
    }
    try {
      return action.apply(store);
    } catch (StoreException e) {
      throw fail(StoreFailure.writingCa(dir, e));
    } finally {
      store.close();
    }
  }

  private StoreFailure fail(StoreFailure f) {
    failure = Optional.of(f);
    return f;
  }

  @Override
  public String toString() {
    return "CaStore[" + dir + "]";
  }
}
