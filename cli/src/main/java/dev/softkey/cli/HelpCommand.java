package dev.softkey.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code softkey help [COMMAND [SUBCOMMAND...]]}: the usage of the named command, to stdout, exit
 * code 0. picocli's own {@code HelpCommand} takes one name only; this one walks down the tree, so
 * {@code softkey help webauthn create} works as {@code softkey webauthn create --help} does.
 */
@Command(
    name = "help",
    helpCommand = true,
    mixinStandardHelpOptions = true,
    description = "Show the help of a command: 'softkey help webauthn create' is 'softkey webauthn create --help'.")
final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Callable<Integer> {
  @Parameters(paramLabel = "COMMAND", arity = "0..*",
      description = "The command and subcommands to show the help of. Default: the help of the command this 'help' belongs to.")
  List<String> commands = new ArrayList<>();

  private CommandLine self;
  private ColorScheme colors;
  private PrintWriter out;

  @Override
  public void init(CommandLine helpCommandLine, ColorScheme colorScheme, PrintWriter out, PrintWriter err) {
    this.self = helpCommandLine;
    this.colors = colorScheme;
    this.out = out;
  }

  @Override
  public Integer call() {
    CommandLine target = self.getParent();
    List<String> path = new ArrayList<>();
    for (String name : commands) {
      CommandLine sub = target.getSubcommands().get(name);
      if (sub == null) {
        throw new ParameterException(
            self,
            "unknown command '" + String.join(" ", append(path, name)) + "'; the commands of '"
                + target.getCommandSpec().qualifiedName() + "' are: " + String.join(", ", target.getSubcommands().keySet()));
      }
      path.add(name);
      target = sub;
    }
    target.usage(out, colors);
    out.flush();
    return 0;
  }

  private static List<String> append(List<String> l, String s) {
    List<String> out = new ArrayList<>(l);
    out.add(s);
    return out;
  }
}
