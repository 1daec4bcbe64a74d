package dev.softkey.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The testkit is what an RP's build depends on: the engine and the client role, nothing else of
 * softkey's (no transport, control server or CLI) and no RP library (those are the user's).
 */
class ArchitectureTest {
  static final ArchRule TESTKIT_USES_CORE_AND_PLATFORM_ONLY =
      noClasses()
          .that()
          .resideInAPackage("dev.softkey.testkit..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.softkey.usb..", "dev.softkey.hybrid..", "dev.softkey.cli..", "dev.softkey.control..", "dev.softkey.metadata..",
              "com.yubico..", "com.webauthn4j..", "io.netty..", "picocli..")
          .because("an RP's tests depend on the testkit: it brings the engine and the client, not softkey's servers or an RP library");

  private static JavaClasses testkit;

  @BeforeAll
  static void importTestkit() {
    testkit =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.softkey.testkit");
  }

  @Test
  void testkitClassesAreImported() {
    assertThat(testkit.contain(VirtualKey.class)).isTrue();
    assertThat(testkit.contain(SoftkeyExtension.class)).isTrue();
  }

  @Test
  void testkit_dependsOnCoreAndPlatformOnly() {
    TESTKIT_USES_CORE_AND_PLATFORM_ONLY.check(testkit);
  }

  @Test
  void theRule_catchesAClassThatUsesAnRpLibrary() {
    JavaClasses offender = new ClassFileImporter().importClasses(UsesAnRpLibrary.class);
    assertThat(TESTKIT_USES_CORE_AND_PLATFORM_ONLY.evaluate(offender).hasViolation()).isTrue();
  }

  /** A test-only offender: testkit code that parses with Yubico's types. */
  static final class UsesAnRpLibrary {
    Object parse(String json) throws Exception {
      return com.yubico.webauthn.data.PublicKeyCredential.parseRegistrationResponseJson(json);
    }
  }
}
