package dev.softkey.core.ctap2;

import dev.softkey.ctap.CtapCommand;
import dev.softkey.ctap.pin.Permission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One handler per {@link CtapCommand}. {@link #seal()} fails unless every command has exactly one,
 * so a new command cannot be added to the enum without deciding what answers it. Filled once while
 * the authenticator is assembled, read-only after.
 */
public final class CommandRegistry {
  private final Map<CtapCommand, CommandHandler> handlers = new EnumMap<>(CtapCommand.class);
  private volatile boolean sealed;

  public CommandRegistry register(CommandHandler h) {
    if (sealed) {
      throw new IllegalStateException("the registry is sealed");
    }
    if (handlers.putIfAbsent(h.command(), h) != null) {
      throw new IllegalStateException("two handlers for " + h.command());
    }
    return this;
  }

  /** Ends registration; throws naming the commands that have no handler. */
  public CommandRegistry seal() {
    List<CtapCommand> missing = new ArrayList<>();
    for (CtapCommand c : CtapCommand.values()) {
      if (!handlers.containsKey(c)) {
        missing.add(c);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("no handler registered for " + missing);
    }
    sealed = true;
    return this;
  }

  public CommandHandler handler(CtapCommand c) {
    requireSealed();
    return handlers.get(c);
  }

  public List<CommandHandler> handlers() {
    requireSealed();
    return List.copyOf(handlers.values());
  }

  /** The permissions of every supported command: what a pinUvAuthToken may carry. */
  public Set<Permission> permissions() {
    requireSealed();
    Set<Permission> out = EnumSet.noneOf(Permission.class);
    for (CommandHandler h : handlers.values()) {
      if (h.supported()) {
        out.addAll(h.permissions());
      }
    }
    return Collections.unmodifiableSet(out);
  }

  /** The getInfo options of every supported command, in canonical (sorted) order. */
  public Map<String, Boolean> infoOptions() {
    requireSealed();
    Map<String, Boolean> out = new TreeMap<>();
    for (CommandHandler h : handlers.values()) {
      if (h.supported()) {
        h.infoOptions().forEach((k, v) -> {
          if (out.putIfAbsent(k, v) != null) {
            throw new IllegalStateException("getInfo option " + k + " claimed by two commands");
          }
        });
      }
    }
    return out;
  }

  private void requireSealed() {
    if (!sealed) {
      throw new IllegalStateException("the registry is still being filled");
    }
  }
}
