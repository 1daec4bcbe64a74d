package dev.softkey.ctap;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The wire types depend on nothing of ours and on no transport or JSON library (design.md, "Modules"). */
class ArchitectureTest {
  private static JavaClasses types;

  @BeforeAll
  static void importTypes() {
    types =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.softkey.ctap");
  }

  @Test
  void typesAreImported() {
    assertThat(types.contain("dev.softkey.ctap.cbor.CborDecoder")).isTrue();
    assertThat(types.contain("dev.softkey.ctap.command.ClientPinRequest")).isTrue();
  }

  @Test
  void wireTypes_dependOnNoOtherSoftkeyModule() {
    noClasses()
        .that()
        .resideInAPackage("dev.softkey.ctap..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.softkey.core..", "dev.softkey.platform..", "dev.softkey.usb..", "dev.softkey.hybrid..", "dev.softkey.cli..")
        .because("both roles share the wire types; they know neither role")
        .check(types);
  }

  @Test
  void wireTypes_needNoTransportOrJsonLibrary() {
    noClasses()
        .that()
        .resideInAPackage("dev.softkey.ctap..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.netty..", "picocli..", "org.hid4java..", "com.github.hypfvieh..", "com.fasterxml..")
        .check(types);
  }
}
