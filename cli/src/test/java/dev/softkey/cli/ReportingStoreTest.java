package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.core.Authenticator;
import dev.softkey.core.OperationContext;
import dev.softkey.ctap.CtapStatus;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store write that fails under an engine nobody reports for (serve, hybrid scan) is logged
 * with its reason, once; the engine's own "internal error" line for it is dropped.
 */
class ReportingStoreTest {
  final List<String> storeLog = new CopyOnWriteArrayList<>();
  final List<String> engineLog = new CopyOnWriteArrayList<>();
  final Logger storeLogger = Logger.getLogger(ReportingStore.class.getName());
  final Logger engineLogger = Logger.getLogger(Authenticator.class.getName());
  final Handler storeHandler = capture(storeLog);
  final Handler engineHandler = capture(engineLog);

  static Handler capture(List<String> into) {
    SimpleFormatter f = new SimpleFormatter();
    return new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (isLoggable(r)) {
          into.add(f.formatMessage(r));
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }

  @BeforeEach
  void listen() {
    new Main(new DeviceFactory(), new ByteArrayInputStream(new byte[0])); // installs the CLI's log filter
    storeLogger.addHandler(storeHandler);
    engineLogger.addHandler(engineHandler);
  }

  @AfterEach
  void stop() {
    storeLogger.removeHandler(storeHandler);
    engineLogger.removeHandler(engineHandler);
  }

  static byte[] makeDiscoverableCredential() {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(1L, new byte[32]);
    m.put(2L, Map.of("id", "example.com"));
    m.put(3L, Map.of("id", new byte[] {1}, "name", "a"));
    m.put(4L, List.of(Map.of("alg", -7L, "type", "public-key")));
    m.put(7L, Map.of("rk", true));
    return Bench.request(0x01, m);
  }

  @Test
  void underServe_theFailureIsLoggedWithItsReason_andTheEngineLineIsDropped(@TempDir Path dir) throws Exception {
    Path store = dir.resolve("store");
    DeviceFactory.Device d =
        new DeviceFactory().open(new DeviceFactory.DeviceOptions(Optional.of(store), "generic", OptionalLong.of(1), "approve", Optional.empty()));
    try (d) {
      StoreErrorsTest.deleteTree(store);
      byte[] resp = d.authenticator().orElseThrow().process(makeDiscoverableCredential(), OperationContext.INTERNAL);
      assertThat(resp).containsExactly((byte) CtapStatus.CTAP1_ERR_OTHER.code());
    }
    assertThat(storeLog).hasSize(1);
    assertThat(storeLog.get(0)).startsWith("cannot write store " + store.toAbsolutePath() + ": No such file or directory");
    assertThat(engineLog).isEmpty();
  }

  @Test
  void throughTheCliTransport_theCallerReports_nothingIsLogged(@TempDir Path dir) throws Exception {
    Path store = dir.resolve("store");
    DeviceFactory.Device d =
        new DeviceFactory().open(new DeviceFactory.DeviceOptions(Optional.of(store), "generic", OptionalLong.of(1), "approve", Optional.empty()));
    try (d) {
      StoreErrorsTest.deleteTree(store);
      assertThatThrownBy(() -> d.transport().transact(makeDiscoverableCredential()))
          .isInstanceOf(StoreFailure.class)
          .hasMessageStartingWith("cannot write store " + store.toAbsolutePath() + ": No such file or directory")
          .hasCauseInstanceOf(dev.softkey.core.store.StoreException.class);
      // the next request starts clean: getInfo does not write
      assertThat(d.transport().transact(new byte[] {0x04})[0]).isZero();
    }
    assertThat(storeLog).isEmpty();
    assertThat(engineLog).isEmpty();
  }
}
