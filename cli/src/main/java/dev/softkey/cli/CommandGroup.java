package dev.softkey.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code webauthn}, {@code pin}, {@code ca}, {@code
 * hybrid}): without one it prints its usage, built by the same injecting factory as the rest of
 * the tree, and exits with 2.
 */
abstract class CommandGroup implements Callable<Integer> {
  @Spec CommandSpec spec;

  final SoftkeyCommand root;

  CommandGroup(SoftkeyCommand root) {
    this.root = root;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(root.out());
    return Main.EXIT_USAGE;
  }
}
