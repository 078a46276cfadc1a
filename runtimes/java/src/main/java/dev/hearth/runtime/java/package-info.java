/**
 * The Java runtime's agent: its HTTP server on the container's socket, the agent protocol
 * (runtimes/README.md), loading and invoking one function, and capturing its log.
 */
package dev.hearth.runtime.java;
