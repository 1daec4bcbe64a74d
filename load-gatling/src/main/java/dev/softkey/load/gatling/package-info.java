/** Gatling Java DSL actions for passkey ceremonies. */
package dev.softkey.load.gatling;
