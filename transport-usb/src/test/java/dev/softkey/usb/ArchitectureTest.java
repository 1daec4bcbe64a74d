package dev.softkey.usb;

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
import dev.softkey.core.profile.Profile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The USB transport serves a {@link CtapDevice} and knows nothing else of the core (design.md,
 * "Modules"): not the concrete Authenticator, not the handlers, stores, PIN or presence internals.
 * That keeps a decorator (a fault plan) in front of every transport possible.
 */
class ArchitectureTest {
  /**
   * All of authenticator-core that transport-usb may use, nested types included: the device
   * interface (CTAP bytes in and out, power cycle), the request context CTAPHID fills in
   * (keepalive status, cancel flag), and {@link Profile} for the USB identity a back-end announces
   * (descriptors, INIT version and capabilities).
   */
  static final DescribedPredicate<JavaClass> ALLOWED_CORE = belongToAnyOf(CtapDevice.class, OperationContext.class, Profile.class);

  static final ArchRule USB_SEES_ONLY_THE_DEVICE_INTERFACE =
      noClasses()
          .that()
          .resideInAPackage("dev.softkey.usb..")
          .should()
          .dependOnClassesThat(resideInAPackage("dev.softkey.core..").and(not(ALLOWED_CORE)))
          .because("transports serve a CtapDevice; everything else of the core is the engine's business");

  private static JavaClasses usb;

  @BeforeAll
  static void importUsb() {
    usb =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.softkey.usb");
  }

  @Test
  void usbClassesAreImported() {
    // Guards against the rules passing because nothing was imported.
    assertThat(usb.contain("dev.softkey.usb.ctaphid.CtapHidDevice")).isTrue();
    assertThat(usb.contain("dev.softkey.usb.backend.usbip.UsbIpBackend")).isTrue();
  }

  @Test
  void usb_dependsOnTheCoreOnlyThroughCtapDeviceOperationContextAndProfile() {
    USB_SEES_ONLY_THE_DEVICE_INTERFACE.check(usb);
  }

  @Test
  void theRule_catchesAClassThatUsesTheConcreteAuthenticator() {
    JavaClasses offender = new ClassFileImporter().importClasses(ReachesIntoTheEngine.class);
    assertThat(USB_SEES_ONLY_THE_DEVICE_INTERFACE.evaluate(offender).hasViolation()).isTrue();
  }

  @Test
  void usb_doesNotDependOnOtherTransportsOrTheCli() {
    noClasses()
        .that()
        .resideInAPackage("dev.softkey.usb..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.softkey.hybrid..", "dev.softkey.cli..")
        .check(usb);
  }

  /** What the rule is there to stop: a transport class holding the concrete engine. */
  static final class ReachesIntoTheEngine {
    Authenticator engine;
  }
}
