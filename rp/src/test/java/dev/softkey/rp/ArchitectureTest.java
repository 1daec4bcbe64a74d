package dev.softkey.rp;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rp module is an independent relying party: its main code depends on no softkey module (no
 * engine, client, transport, metadata or CLI), only on Yubico's library, Jackson, Bouncy Castle
 * and the JDK, so what it accepts says something about softkey's keys. Its tests use testkit and
 * metadata as the key and the metadata source.
 */
class ArchitectureTest {
  private static final ArchRule RP_USES_NO_OTHER_SOFTKEY_PACKAGE =
      noClasses().that().resideInAPackage("dev.softkey.rp..").should().dependOnClassesThat(
          com.tngtech.archunit.base.DescribedPredicate.describe("softkey classes outside dev.softkey.rp",
              c -> c.getPackageName().startsWith("dev.softkey.") && !c.getPackageName().startsWith("dev.softkey.rp")));

  private static JavaClasses rp;

  @BeforeAll
  static void importRp() {
    rp = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
        .importPackages("dev.softkey.rp");
  }

  @Test
  void rpClassesAreImported() {
    // Guards against the rule passing because nothing was imported.
    assertThat(rp.contain("dev.softkey.rp.RpServer")).isTrue();
    assertThat(rp.contain("dev.softkey.rp.Ceremonies")).isTrue();
  }

  @Test
  void mainCode_dependsOnNoOtherSoftkeyModule() {
    RP_USES_NO_OTHER_SOFTKEY_PACKAGE.check(rp);
  }

  @Test
  void theRule_catchesAClassThatUsesSoftkeysEngine() {
    JavaClasses offender = new ClassFileImporter().importClasses(UsesTheEngine.class);
    assertThat(RP_USES_NO_OTHER_SOFTKEY_PACKAGE.evaluate(offender).hasViolation()).isTrue();
  }

  /** A test-only offender: RP code that reads a profile from softkey's core. */
  static final class UsesTheEngine {
    String id() {
      return dev.softkey.core.profile.Profiles.defaultProfile().identity().id();
    }
  }
}
