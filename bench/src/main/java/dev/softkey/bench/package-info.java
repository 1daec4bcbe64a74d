/** JMH benchmarks of softkey's engine and client. */
package dev.softkey.bench;
