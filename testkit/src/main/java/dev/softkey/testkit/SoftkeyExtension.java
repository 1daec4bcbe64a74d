package dev.softkey.testkit;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that gives every test a fresh {@link VirtualKey} and closes it after the
 * test, so no state (credentials, PIN, counters) leaks from one test into the next.
 *
 * <pre>{@code
 * @RegisterExtension static SoftkeyExtension softkey = SoftkeyExtension.profile("yubikey-5").seed(7);
 *
 * @Test void registers() { String json = softkey.key().create(options, "https://example.com"); ... }
 * @Test void injected(VirtualKey key, @Softkey(profile = "solo-1") VirtualKey other) { ... }
 * }</pre>
 *
 * <p>Also usable as {@code @ExtendWith(SoftkeyExtension.class)} (generic profile, secure
 * randomness) for parameter injection. A {@link VirtualKey} parameter without {@link Softkey} is
 * the test's key ({@link #key()}); one with it is a key of its own with the annotation's settings
 * over the extension's. {@link #key()} is for tests that run one at a time; injected parameters
 * also work under JUnit's parallel execution.
 */
public final class SoftkeyExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SoftkeyExtension.class);
  private static final String KEY = "key";

  private Optional<String> profile = Optional.empty();
  private OptionalLong seed = OptionalLong.empty();
  private Optional<String> pin = Optional.empty();
  private Consumer<VirtualKey.Builder> customizer = b -> {};
  private volatile VirtualKey current;

  /** The generic profile, secure randomness, no PIN (what {@code @ExtendWith} uses). */
  public SoftkeyExtension() {}

  /** An extension whose keys are of the built-in profile {@code id} (or a profile file). */
  public static SoftkeyExtension profile(String id) {
    SoftkeyExtension e = new SoftkeyExtension();
    e.profile = Optional.of(Objects.requireNonNull(id, "profile"));
    return e;
  }

  /** Keys of the generic profile. */
  public static SoftkeyExtension defaults() {
    return new SoftkeyExtension();
  }

  /** Every key seeded with {@code s}: each test sees the same credential IDs and keys. */
  public SoftkeyExtension seed(long s) {
    this.seed = OptionalLong.of(s);
    return this;
  }

  /** Every key with this PIN set. */
  public SoftkeyExtension pin(String p) {
    this.pin = Optional.of(Objects.requireNonNull(p, "pin"));
    return this;
  }

  /** Anything else on the builder (presence, timeout, transports, CA), applied after the above. */
  public SoftkeyExtension configure(Consumer<VirtualKey.Builder> c) {
    this.customizer = this.customizer.andThen(Objects.requireNonNull(c, "customizer"));
    return this;
  }

  /**
   * The current test's key.
   *
   * @throws IllegalStateException outside a test (in {@code @BeforeAll}, or with the extension not
   *     registered)
   */
  public VirtualKey key() {
    VirtualKey k = current;
    if (k == null) {
      throw new IllegalStateException("no VirtualKey: key() works inside a test of a class that registers this extension");
    }
    return k;
  }

  private VirtualKey build(Optional<Softkey> annotation) {
    VirtualKey.Builder b = VirtualKey.builder();
    Optional<String> p = annotation.map(Softkey::profile).filter(s -> !s.isEmpty()).or(() -> profile);
    p.ifPresent(b::profile);
    OptionalLong s = annotation.isPresent() && annotation.get().seed() != Softkey.NO_SEED ? OptionalLong.of(annotation.get().seed()) : seed;
    s.ifPresent(b::seed);
    annotation.map(Softkey::pin).filter(x -> !x.isEmpty()).or(() -> pin).ifPresent(b::pin);
    customizer.accept(b);
    return b.build();
  }

  /**
   * A key in JUnit's store: JUnit 5.13 and later close it as an AutoCloseable, older ones as a
   * CloseableResource (deprecated since 5.13, kept for RP builds on older JUnit).
   */
  @SuppressWarnings("deprecation")
  private static final class Closing implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    final VirtualKey key;

    Closing(VirtualKey key) {
      this.key = key;
    }

    @Override
    public void close() {
      key.close();
    }
  }

  private VirtualKey testKey(ExtensionContext context) {
    return context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(KEY, k -> new Closing(build(Optional.empty())), Closing.class)
        .key;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    current = testKey(context);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    current = null;
    // The store closes the keys when the test's context ends.
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == VirtualKey.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    Optional<Softkey> annotation = parameterContext.findAnnotation(Softkey.class);
    if (annotation.isEmpty()) {
      if (extensionContext.getTestMethod().isEmpty()) {
        throw new ParameterResolutionException("a VirtualKey parameter is resolved for test methods only, not constructors or lifecycle methods of the class");
      }
      return testKey(extensionContext);
    }
    VirtualKey k = build(annotation);
    extensionContext.getStore(NAMESPACE).put("param-" + parameterContext.getIndex(), new Closing(k));
    return k;
  }
}
