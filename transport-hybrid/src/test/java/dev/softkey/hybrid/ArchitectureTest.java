package dev.softkey.hybrid;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.softkey.core.Authenticator;
import dev.softkey.core.CtapDevice;
import dev.softkey.core.OperationContext;
import dev.softkey.core.store.DeviceStateStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hybrid transport serves a {@link CtapDevice} and knows nothing else of the core (design.md,
 * "Modules"): not the concrete Authenticator, not the handlers, PIN, presence or attestation.
 */
class ArchitectureTest {
  /**
   * All of authenticator-core that transport-hybrid may use, nested types included: the device
   * interface, the request context the phone fills in (its cancel flag follows the tunnel), and
   * the {@link DeviceStateStore} SPI, through which the phone keeps its own records (identity key,
   * links) in the store its assembler hands it. No store implementation, no Profile: the phone
   * learns what the key is from getInfo, like any client.
   */
  static final DescribedPredicate<JavaClass> ALLOWED_CORE =
      belongToAnyOf(CtapDevice.class, OperationContext.class, DeviceStateStore.class);

  static final ArchRule HYBRID_SEES_ONLY_THE_DEVICE_INTERFACE =
      noClasses()
          .that()
          .resideInAPackage("dev.softkey.hybrid..")
          .should()
          .dependOnClassesThat(resideInAPackage("dev.softkey.core..").and(not(ALLOWED_CORE)))
          .because("transports serve a CtapDevice; everything else of the core is the engine's business");

  private static JavaClasses hybrid;

  @BeforeAll
  static void importHybrid() {
    hybrid =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.softkey.hybrid");
  }

  @Test
  void hybridClassesAreImported() {
    // Guards against the rules passing because nothing was imported.
    assertThat(hybrid.contain("dev.softkey.hybrid.session.HybridAuthenticator")).isTrue();
    assertThat(hybrid.contain("dev.softkey.hybrid.tunnel.TunnelClient")).isTrue();
  }

  @Test
  void hybrid_dependsOnTheCoreOnlyThroughCtapDeviceOperationContextAndDeviceStateStore() {
    HYBRID_SEES_ONLY_THE_DEVICE_INTERFACE.check(hybrid);
  }

  @Test
  void theRule_catchesAClassThatUsesTheConcreteAuthenticator() {
    JavaClasses offender = new ClassFileImporter().importClasses(ReachesIntoTheEngine.class);
    assertThat(HYBRID_SEES_ONLY_THE_DEVICE_INTERFACE.evaluate(offender).hasViolation()).isTrue();
  }

  @Test
  void hybrid_doesNotDependOnOtherTransportsOrTheCli() {
    noClasses()
        .that()
        .resideInAPackage("dev.softkey.hybrid..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.softkey.usb..", "dev.softkey.cli..")
        .check(hybrid);
  }

  /** What the rule is there to stop: a transport class holding the concrete engine. */
  static final class ReachesIntoTheEngine {
    Authenticator engine;
  }
}
