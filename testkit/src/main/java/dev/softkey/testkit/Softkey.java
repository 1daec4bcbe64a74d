package dev.softkey.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@link VirtualKey} parameter of a test method run with {@link SoftkeyExtension}: the
 * parameter gets a key of its own, built from the extension's settings with these members
 * overriding them. Without the annotation the parameter is the extension's key ({@link
 * SoftkeyExtension#key()}). Each annotated parameter is a separate key, closed after the test.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Softkey {
  /** What {@link #seed()} holds when no seed is given (secure randomness). */
  long NO_SEED = Long.MIN_VALUE;

  /** A built-in profile id or a profile file; empty: the extension's. */
  String profile() default "";

  /** The seed; {@link #NO_SEED}: the extension's. */
  long seed() default NO_SEED;

  /** A PIN set at build; empty: the extension's. */
  String pin() default "";
}
