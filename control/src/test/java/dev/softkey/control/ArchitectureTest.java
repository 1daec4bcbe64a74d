package dev.softkey.control;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The control module wires the engine, the WebAuthn client and a transport behind HTTP; it is not
 * a place for the CLI, for netty or hybrid, or for an RP library (those verify it in tests only).
 */
class ArchitectureTest {
  static final ArchRule CONTROL_USES_NO_CLI_NETTY_HYBRID_OR_RP_LIBRARY =
      noClasses()
          .that()
          .resideInAPackage("dev.softkey.control..")
          .should()
          .dependOnClassesThat(resideInAnyPackage("dev.softkey.cli..", "picocli..", "io.netty..", "dev.softkey.hybrid..",
              "com.yubico..", "com.webauthn4j.."))
          .because("the control API serves devices over HTTP with the JDK's server; RP libraries are for its tests");

  private static JavaClasses control;

  @BeforeAll
  static void importControl() {
    control = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
        .importPackages("dev.softkey.control");
  }

  @Test
  void controlClassesAreImported() {
    assertThat(control.contain("dev.softkey.control.ControlServer")).isTrue();
    assertThat(control.contain("dev.softkey.control.CtapTap")).isTrue();
  }

  @Test
  void control_usesNoCliNettyHybridOrRpLibrary() {
    CONTROL_USES_NO_CLI_NETTY_HYBRID_OR_RP_LIBRARY.check(control);
  }

  @Test
  void theRule_catchesAClassThatUsesAnRpLibrary() {
    JavaClasses offender = new ClassFileImporter().importClasses(UsesAnRpLibrary.class);
    assertThatThrownBy(() -> noClasses().should().dependOnClassesThat(resideInAnyPackage("com.yubico..")).check(offender))
        .isInstanceOf(AssertionError.class);
  }

  static final class UsesAnRpLibrary {
    Object rp() {
      return com.yubico.webauthn.RelyingParty.builder();
    }
  }
}
