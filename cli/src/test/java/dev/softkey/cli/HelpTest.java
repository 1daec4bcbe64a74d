package dev.softkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.cli.CliRunner.Result;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Walks the whole command tree (as {@link Main} assembles it) and checks each command's help:
 * {@code CMD --help} and {@code help CMD} exit 0 on stdout, and name every option, the global
 * ones included, each with a description that gives its default.
 */
class HelpTest {
  /** One command of the tree: its path below {@code softkey} and its spec. */
  record Node(List<String> path, CommandSpec spec) {
    @Override
    public String toString() {
      return path.isEmpty() ? "softkey" : "softkey " + String.join(" ", path);
    }
  }

  static List<Node> tree() {
    CommandLine cl =
        new Main(new DeviceFactory(), new ByteArrayInputStream(new byte[0]))
            .commandLine(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
    List<Node> nodes = new ArrayList<>();
    walk(cl, List.of(), nodes);
    return nodes;
  }

  private static void walk(CommandLine cl, List<String> path, List<Node> nodes) {
    nodes.add(new Node(path, cl.getCommandSpec()));
    cl.getSubcommands().forEach((name, sub) -> {
      List<String> p = new ArrayList<>(path);
      p.add(name);
      walk(sub, p, nodes);
    });
  }

  static String[] args(List<String> path, String... more) {
    List<String> a = new ArrayList<>(path);
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  @Test
  void theTreeHoldsEveryCommand() {
    List<String> names = tree().stream().map(Node::toString).toList();
    assertThat(names)
        .contains(
            "softkey webauthn create", "softkey webauthn get", "softkey info", "softkey pin set", "softkey pin change",
            "softkey reset", "softkey profiles", "softkey ca export", "softkey demo", "softkey bench",
            "softkey tunnel-server", "softkey serve", "softkey probe", "softkey hybrid decode", "softkey hybrid scan",
            "softkey hybrid initiate", "softkey hybrid demo", "softkey help", "softkey pin help");
    assertThat(names.size()).isGreaterThanOrEqualTo(25);
  }

  @TestFactory
  Stream<DynamicTest> dashDashHelp_exit0_onStdout_namesEveryOptionWithItsDefault() {
    List<String> global = tree().get(0).spec().options().stream().filter(Main::isGlobal).flatMap(o -> Stream.of(o.names())).toList();
    assertThat(global).contains("--store", "--passphrase-env", "--profile", "--seed", "--presence", "--verbose");
    return tree().stream()
        .map(node -> DynamicTest.dynamicTest(node + " --help", () -> {
          Result r = CliRunner.run(args(node.path(), "--help"));
          assertThat(r.code()).isZero();
          assertThat(r.err()).isEmpty();
          assertThat(r.out()).startsWith("Usage: " + node + " ");
          for (OptionSpec o : node.spec().options()) {
            for (String name : o.names()) {
              assertThat(r.out()).as("%s names %s", node, name).contains(name);
            }
            checkDescription(node, o, o.longestName());
          }
          for (PositionalParamSpec p : node.spec().positionalParameters()) {
            assertThat(r.out()).as("%s names %s", node, p.paramLabel()).contains(p.paramLabel());
            checkDescription(node, p, p.paramLabel());
          }
          for (String g : global) {
            assertThat(r.out()).as("%s lists the global option %s", node, g).contains(g);
          }
          if (!node.path().isEmpty()) {
            assertThat(r.out()).contains("Global options (before or after the command):");
          }
        }));
  }

  /** A description, and the default (or "required") in it; the help and version flags excepted. */
  private static void checkDescription(Node node, ArgSpec a, String name) {
    String d = String.join(" ", a.description());
    assertThat(d).as("%s %s has a description", node, name).isNotBlank();
    if (a instanceof OptionSpec o && (o.usageHelp() || o.versionHelp())) {
      return;
    }
    assertThat(d.toLowerCase(Locale.ROOT)).as("%s %s gives its default", node, name).containsAnyOf("default", "required");
  }

  @TestFactory
  Stream<DynamicTest> helpCommand_printsTheSameHelp() {
    return tree().stream()
        .map(node -> DynamicTest.dynamicTest("softkey help " + String.join(" ", node.path()), () -> {
          List<String> help = new ArrayList<>(List.of("help"));
          help.addAll(node.path());
          Result r = CliRunner.run(help.toArray(String[]::new));
          assertThat(r.code()).isZero();
          assertThat(r.err()).isEmpty();
          assertThat(r.out()).isEqualTo(CliRunner.run(args(node.path(), "--help")).out());
        }));
  }

  @Test
  void helpInsideAGroup_isTheSubcommandsHelp() {
    Result r = CliRunner.run("pin", "help", "change");
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo(CliRunner.run("pin", "change", "--help").out()).contains("--new-pin");
  }

  @Test
  void helpOfAnUnknownCommand_isAUsageError_namingTheCommands() {
    Result r = CliRunner.run("help", "webauthn", "sign");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().strip())
        .startsWith("softkey: unknown command 'webauthn sign'; the commands of 'softkey webauthn' are: create, get, help")
        .doesNotContain("\n");
  }

  @Test
  void topLevelHelp_documentsTheExitCodes() {
    Result r = CliRunner.run("--help");
    assertThat(r.out())
        .contains("Exit codes:")
        .containsPattern("0 +success")
        .containsPattern("1 +a failed operation")
        .containsPattern("2 +a usage error")
        .contains("softkey COMMAND --help");
  }

  @Test
  void optionsThatHadNoHelp_areDocumentedNow() {
    assertThat(CliRunner.run("webauthn", "create", "--help").out()).contains("--options=FILE").contains("--transport=NAME");
    assertThat(CliRunner.run("ca", "export", "--help").out()).contains("--out=FILE").contains("Default: stdout");
    assertThat(CliRunner.run("bench", "--help").out()).contains("--seconds=S").contains("Default: 2.0");
    assertThat(CliRunner.run("tunnel-server", "--help").out()).contains("--tls-cert=PEM").contains("--tls-key=PEM");
    assertThat(CliRunner.run("webauthn", "get", "--help").out()).contains("Other users can read it in /proc");
  }

  @Test
  void version_onEveryCommand() {
    assertThat(CliRunner.run("--version").out().strip()).isEqualTo("softkey 0.1.0");
    assertThat(CliRunner.run("pin", "set", "--version").out().strip()).isEqualTo("softkey 0.1.0");
  }
}
