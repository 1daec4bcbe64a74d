package dev.softkey.metadata;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The metadata module describes the device and publishes what its CA signs: it depends on the core
 * (profiles, the engine it asks for getInfo, the CA) and ctap-types, never on the client role, a
 * transport, the CLI, or an RP library (those are its tests' business).
 */
class ArchitectureTest {
  static final ArchRule METADATA_STAYS_OUT_OF_CLIENTS_TRANSPORTS_AND_CLI =
      noClasses()
          .that()
          .resideInAPackage("dev.softkey.metadata..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.softkey.platform..", "dev.softkey.usb..", "dev.softkey.hybrid..", "dev.softkey.cli..",
              "com.yubico..", "com.webauthn4j..", "io.netty..", "picocli..")
          .because("metadata is what softkey publishes for RPs, assembled by the CLI; RP libraries only verify it in tests");

  private static JavaClasses metadata;

  @BeforeAll
  static void importMetadata() {
    metadata =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.softkey.metadata");
  }

  @Test
  void metadataClassesAreImported() {
    // Guards against the rule passing because nothing was imported.
    assertThat(metadata.contain("dev.softkey.metadata.MetadataBlob")).isTrue();
    assertThat(metadata.contain("dev.softkey.metadata.MetadataServer")).isTrue();
  }

  @Test
  void metadata_dependsOnNoClientTransportCliOrRpLibrary() {
    METADATA_STAYS_OUT_OF_CLIENTS_TRANSPORTS_AND_CLI.check(metadata);
  }

  @Test
  void theRule_catchesAClassThatUsesAnRpLibrary() {
    JavaClasses offender = new ClassFileImporter().importClasses(UsesAnRpLibrary.class);
    assertThat(METADATA_STAYS_OUT_OF_CLIENTS_TRANSPORTS_AND_CLI.evaluate(offender).hasViolation()).isTrue();
  }

  /** A test-only offender: metadata code that parses with Yubico's types. */
  static final class UsesAnRpLibrary {
    Object parse() {
      return com.yubico.fido.metadata.AAGUID.class;
    }
  }
}
