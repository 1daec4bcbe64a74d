package dev.softkey.platform;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client role sees the authenticator only through the wire: it depends on the wire types,
 * never on authenticator-core's internals, a transport or the CLI (design.md, "Modules").
 */
class ArchitectureTest {
  private static JavaClasses platform;

  @BeforeAll
  static void importPlatform() {
    platform =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.softkey.platform");
  }

  @Test
  void platformClassesAreImported() {
    assertThat(platform.contain("dev.softkey.platform.WebAuthnClient")).isTrue();
    assertThat(platform.contain("dev.softkey.platform.pin.PlatformPin")).isTrue();
  }

  @Test
  void platform_doesNotSeeTheAuthenticatorTransportsOrCli() {
    noClasses()
        .that()
        .resideInAPackage("dev.softkey.platform..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.softkey.core..", "dev.softkey.usb..", "dev.softkey.hybrid..", "dev.softkey.cli..")
        .because("a browser talks to a key over CTAP, not through its internals")
        .check(platform);
  }
}
