/**
 * The platform side of authenticatorConfig (CTAP 2.1 section 6.11): {@link
 * dev.softkey.platform.config.PlatformConfig}.
 */
package dev.softkey.platform.config;
