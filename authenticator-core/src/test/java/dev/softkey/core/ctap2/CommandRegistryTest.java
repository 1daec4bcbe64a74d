package dev.softkey.core.ctap2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.core.Authenticator;
import dev.softkey.core.OperationContext;
import dev.softkey.core.profile.Profiles;
import dev.softkey.core.testing.CtapTestClient;
import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.cbor.CborEncodable;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.pin.Permission;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CommandRegistryTest {
  private static CommandHandler handler(CtapCommand c, Set<Permission> permissions, Map<String, Boolean> options) {
    return new CommandHandler() {
      @Override
      public CtapCommand command() {
        return c;
      }

      @Override
      public Optional<CborEncodable> handle(CommandParameters parameters, OperationContext ctx) {
        return Optional.empty();
      }

      @Override
      public Set<Permission> permissions() {
        return permissions;
      }

      @Override
      public Map<String, Boolean> infoOptions() {
        return options;
      }
    };
  }

  @Nested
  class Exhaustive {
    @Test
    void everyCommandOfTheEnum_hasExactlyOneHandler_inEveryBuiltInProfile() {
      for (String id : Profiles.BUILT_IN) {
        Authenticator a = Authenticator.builder().profile(Profiles.builtIn(id).orElseThrow()).seed(1).build();
        for (CtapCommand c : CtapCommand.values()) {
          assertThat(a.commands().handler(c)).as(id + " " + c).isNotNull();
          assertThat(a.commands().handler(c).command()).as(id + " " + c).isEqualTo(c);
        }
      }
    }

    @Test
    void seal_namesTheCommandsWithoutAHandler() {
      CommandRegistry r = new CommandRegistry();
      for (CtapCommand c : CtapCommand.values()) {
        if (c != CtapCommand.LARGE_BLOBS && c != CtapCommand.SELECTION) {
          r.register(new UnsupportedCommand(c));
        }
      }
      assertThatThrownBy(r::seal).hasMessageContaining("SELECTION").hasMessageContaining("LARGE_BLOBS");
    }

    @Test
    void twoHandlersForOneCommand_areRefused() {
      CommandRegistry r = new CommandRegistry().register(new UnsupportedCommand(CtapCommand.CONFIG));
      assertThatThrownBy(() -> r.register(new UnsupportedCommand(CtapCommand.CONFIG))).hasMessageContaining("CONFIG");
    }

    @Test
    void anUnsealedRegistry_cannotBeRead() {
      assertThatThrownBy(() -> new CommandRegistry().handlers()).isInstanceOf(IllegalStateException.class);
    }
  }

  @Nested
  class Derived {
    private CommandRegistry allUnsupportedBut(CommandHandler... hs) {
      CommandRegistry r = new CommandRegistry();
      Set<CtapCommand> taken = new java.util.HashSet<>();
      for (CommandHandler h : hs) {
        r.register(h);
        taken.add(h.command());
      }
      for (CtapCommand c : CtapCommand.values()) {
        if (!taken.contains(c)) {
          r.register(new UnsupportedCommand(c));
        }
      }
      return r.seal();
    }

    @Test
    void permissions_areTheUnionOfTheSupportedCommands() {
      CommandRegistry r =
          allUnsupportedBut(
              handler(CtapCommand.MAKE_CREDENTIAL, Set.of(Permission.MAKE_CREDENTIAL), Map.of()),
              handler(CtapCommand.CREDENTIAL_MANAGEMENT, Set.of(Permission.CREDENTIAL_MANAGEMENT), Map.of()));
      assertThat(r.permissions()).containsExactlyInAnyOrder(Permission.MAKE_CREDENTIAL, Permission.CREDENTIAL_MANAGEMENT);
    }

    @Test
    void infoOptions_comeFromTheSupportedCommands_andAnOptionHasOneOwner() {
      CommandRegistry r =
          allUnsupportedBut(
              handler(CtapCommand.CREDENTIAL_MANAGEMENT, Set.of(), Map.of("credMgmt", true)),
              handler(CtapCommand.CONFIG, Set.of(), Map.of("authnrCfg", true)));
      assertThat(r.infoOptions()).containsExactly(Map.entry("authnrCfg", true), Map.entry("credMgmt", true));
      CommandRegistry twice =
          allUnsupportedBut(
              handler(CtapCommand.CREDENTIAL_MANAGEMENT, Set.of(), Map.of("credMgmt", true)),
              handler(CtapCommand.CREDENTIAL_MANAGEMENT_PREVIEW, Set.of(), Map.of("credMgmt", true)));
      assertThatThrownBy(twice::infoOptions).hasMessageContaining("credMgmt");
    }

    @Test
    void builtAuthenticator_getInfoOptionsAndGrantablePermissions_matchItsCommands() {
      Authenticator a = Authenticator.builder().profile(Profiles.builtIn("generic").orElseThrow()).seed(2).build();
      CborMap info = new CtapTestClient(a).sendRaw(new byte[] {0x04}).ok();
      Map<Object, Object> options = info.map(0x04).asMap();
      assertThat(options).isEqualTo(Map.copyOf(a.commands().infoOptions()));
      // Nothing is advertised that has no command behind it.
      assertThat(options).doesNotContainKeys("bioEnroll", "userVerificationMgmtPreview");
      assertThat(options).containsEntry("credMgmt", true).containsEntry("authnrCfg", true).containsEntry("ep", false).containsEntry("largeBlobs", true);
      assertThat(a.commands().permissions())
          .containsExactlyInAnyOrder(
              Permission.MAKE_CREDENTIAL, Permission.GET_ASSERTION, Permission.CREDENTIAL_MANAGEMENT, Permission.LARGE_BLOB_WRITE,
              Permission.AUTHENTICATOR_CONFIG);
    }
  }
}
