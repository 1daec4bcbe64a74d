package dev.softkey.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core is transport-free (design.md "Modules and direction of dependencies", style rule 6): no
 * netty, picocli, hid4java, D-Bus, no other softkey module, no sockets.
 */
class ArchitectureTest {
  private static JavaClasses core;

  @BeforeAll
  static void importCore() {
    core =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.softkey.core");
  }

  @Test
  void coreClassesAreImported() {
    // Guards against a rule passing vacuously because nothing was imported.
    org.assertj.core.api.Assertions.assertThat(core.contain("dev.softkey.core.Authenticator"))
        .isTrue();
  }

  @Test
  void core_doesNotDependOnTransportOrCliLibraries() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("dev.softkey.core..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "io.netty..", "picocli..", "org.hid4java..", "com.github.hypfvieh..")
            .because("the core is transport-free: CTAP bytes in, CTAP bytes out");
    rule.check(core);
  }

  @Test
  void core_doesNotDependOnOtherSoftkeyModules() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("dev.softkey.core..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "dev.softkey.usb..", "dev.softkey.hybrid..", "dev.softkey.cli..", "dev.softkey.platform..")
            .because("transports, the client role and the CLI depend on the core, never the other way round");
    rule.check(core);
  }

  @Test
  void commandPackages_doNotImportEachOther() {
    // One package per command (design.md): shared steps live in core.ctap2, not in another command.
    com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
        .matching("dev.softkey.core.ctap2.(*)..")
        .should()
        .notDependOnEachOther()
        .because("commands share code through core.ctap2, never through each other")
        .check(core);
  }

  @Test
  void core_opensNoSockets() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("dev.softkey.core..")
            .should()
            .dependOnClassesThat()
            .areAssignableTo(Socket.class)
            .orShould()
            .dependOnClassesThat()
            .areAssignableTo(ServerSocket.class)
            .orShould()
            .dependOnClassesThat()
            .areAssignableTo(DatagramSocket.class)
            .because("network servers live in the transport modules and bind to loopback there");
    rule.check(core);
  }
}
