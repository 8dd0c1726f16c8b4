/**
 * The code listings of the README, compiled with the build and run by {@code ReadmeTest} so
 * that they cannot rot: a protobuf service with its two translators, a Writable protocol, and a
 * minimal engine.
 */
package io.tusk.rpc.examples.readme;
