/** A JMeter sampler for passkey ceremonies. */
package dev.softkey.load.jmeter;
